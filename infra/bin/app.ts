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
  const { app, placeholders } = buildApp({ code: (fn) => Code.fromAsset(bundles[fn].dir) });
  if (placeholders.length) {
    const msg = `deploy settings not given, placeholders used: ${placeholders.join(', ')} (see infra/README.md)`;
    if (process.env.PM_AGENT_DEPLOY === '1') throw new Error(`refusing to deploy: ${msg}`);
    console.error(`note: ${msg}`);
  }
  app.synth();
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
