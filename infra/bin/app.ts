import { join } from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../src/app';
import { bundleAll } from '../src/bundles';

/**
 * `npm run synth` / `npm run deploy` (cdk.json runs this). Builds the Lambda bundles, then
 * synthesises the stack; cdk-nag fails synthesis on an unsuppressed finding. Deploy refuses the
 * placeholder settings; synth accepts them, so a fresh clone synthesises with no account.
 */
async function main(): Promise<void> {
  const bundles = await bundleAll();
  const outdir = process.env.CDK_OUTDIR ?? join(__dirname, '../cdk.out');
  const { app, placeholders } = buildApp({ code: (fn) => Code.fromAsset(bundles[fn].dir), outdir, context: contextFromArgs() });
  if (placeholders.length) {
    const msg = `deploy settings not given, placeholders used: ${placeholders.join(', ')} (see infra/README.md)`;
    if (process.env.PM_AGENT_DEPLOY === '1') throw new Error(`refusing to deploy: ${msg}`);
    console.error(`note: ${msg}`);
  }
  const assembly = app.synth();
  console.error(`synthesised ${assembly.stacks.map((st) => st.templateFile).join(', ')} in ${assembly.directory}`);
}

/** `-c key=value` pairs, as the CDK CLI takes them (npm run synth -- -c jiraSite=…). */
function contextFromArgs(): Record<string, string> {
  const out: Record<string, string> = {};
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '-c' && args[i] !== '--context') continue;
    const [k, ...v] = (args[++i] ?? '').split('=');
    if (k) out[k] = v.join('=');
  }
  return out;
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
