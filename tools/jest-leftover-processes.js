const { execFileSync } = require('node:child_process');

/**
 * Global teardown: every process a test started must be stopped by that test. A leftover child
 * (a stage, a browser, DynamoDB Local, a double) keeps jest from exiting, so CI would wait for its
 * time limit instead of failing. Any descendant still alive here, other than jest's own workers,
 * is named, killed, and fails the run.
 */
module.exports = async function leftoverProcesses() {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,etimes=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .filter(Boolean)
    .map(([, pid, ppid, age, args]) => ({ pid: Number(pid), ppid: Number(ppid), age: Number(age), args }));
  const isWorker = (p) => p.ppid === process.pid && /jest-worker|processChild/.test(p.args);
  const descendants = [];
  const walk = (parent) => {
    for (const p of rows.filter((r) => r.ppid === parent)) {
      // Our own `ps`, and esbuild's service process (unref'd by esbuild, it ends with its parent).
      if (p.args.startsWith('ps -e -o') || /\/esbuild --service=/.test(p.args)) continue;
      if (!isWorker(p)) descendants.push(p);
      walk(p.pid);
    }
  };
  walk(process.pid);
  // Orphans: a child whose parent a test killed is re-parented to init, so it is no descendant any
  // more, yet may still hold a test's pipes open. Ours run this repository's code and started after
  // jest did (so a stack someone runs beside the tests is left alone).
  const root = require('node:path').join(__dirname, '..');
  const inRepo = (args) => args.includes(`${root}/`) && !/jest-worker|processChild/.test(args) && !/\/esbuild --service=/.test(args);
  for (const p of rows) if (p.ppid === 1 && p.age < process.uptime() && inRepo(p.args) && !descendants.some((d) => d.pid === p.pid)) descendants.push(p);
  if (!descendants.length) return;
  for (const p of descendants) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  throw new Error(`tests left ${descendants.length} process(es) running (now killed); the test that started each must stop it:\n${descendants.map((p) => `  ${p.pid} ${p.args.slice(0, 200)}`).join('\n')}`);
};
