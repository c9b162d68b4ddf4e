import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildTaskPane } from '@pm-agent/outlook-addin/build';
import { PaneConfigSchema } from '@pm-agent/outlook-addin/auth/config';
import { forgeBackendHost, paneConfig, productionManifest, productionPage, readOutputs } from '../src/apps-from-outputs';
import { STACK_NAME } from '../src/app';

/**
 * npm run apps:configure -- --hosting https://addin.example.org/outlook/ [--outputs infra/cdk-outputs.json] [--scope api://…/access_as_user]
 *
 * Writes outlook-addin/dist-production/ (the pane built, its config.json, page CSP and both
 * manifests pointing at the hosting address) and prints the Forge deploy command with
 * PM_AGENT_BACKEND_HOST, all from the deployed stack's outputs.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const hosting = arg('hosting');
  if (!hosting) throw new Error('--hosting <https URL of the folder serving the pane> is required');
  const outputs = readOutputs(JSON.parse(readFileSync(arg('outputs') ?? join(root, 'infra/cdk-outputs.json'), 'utf8')), STACK_NAME);
  const opts = { hosting, ...(arg('scope') ? { scope: arg('scope')! } : {}) };
  const out = join(root, 'outlook-addin/dist-production');
  await buildTaskPane({ write: true, outdir: out });
  const config = PaneConfigSchema.parse(paneConfig(outputs, opts));
  writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(out, 'taskpane.html'), productionPage(readFileSync(join(out, 'taskpane.html'), 'utf8'), outputs));
  for (const m of ['manifest.json', 'manifest.xml']) {
    copyFileSync(join(root, 'outlook-addin', m), join(out, m));
    writeFileSync(join(out, m), productionManifest(readFileSync(join(out, m), 'utf8'), opts));
  }
  console.log(`Outlook add-in: ${out} (upload its contents to ${hosting}; sideload manifest.json from there)`);
  console.log(`Jira app:       PM_AGENT_BACKEND_HOST=${forgeBackendHost(outputs)} forge deploy`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
