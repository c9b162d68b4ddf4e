import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { PaneConfigSchema } from '@pm-agent/outlook-addin/auth/config';
import { connectSrc, forgeBackendHost, MANIFEST_PLACEHOLDER, paneConfig, productionManifest, productionPage, readOutputs } from '../src/apps-from-outputs';
import { STACK_NAME } from '../src/app';
import { OUTPUTS } from '../src/stack';

/** The apps' production settings come from the deployed stack's outputs (item 9 of issue 10). */
const file = {
  [STACK_NAME]: {
    [OUTPUTS.apiUrl]: 'https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/v1/',
    [OUTPUTS.apiHost]: 'a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com',
    [OUTPUTS.region]: 'eu-central-1',
    [OUTPUTS.outlookRoleArn]: 'arn:aws:iam::111122223333:role/PmAgent-OutlookRole-X',
    [OUTPUTS.entraTenantId]: '3f0c2a8e-1b2c-4d5e-8f90-0123456789ab',
    [OUTPUTS.entraClientId]: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
    [OUTPUTS.jiraSite]: 'https://acme.atlassian.net',
    [OUTPUTS.forgeUserName]: 'PmAgent-ForgeUser-Y',
  },
};
const outputs = readOutputs(file, STACK_NAME);
const hosting = 'https://addin.acme.example.org/pm/outlook/';
const root = join(__dirname, '../../outlook-addin');

describe('apps from the stack outputs', () => {
  it('gives the pane a valid production config: this API, region, STS, tenant, client, role', () => {
    const config = PaneConfigSchema.parse(paneConfig(outputs, { hosting }));
    expect(config).toMatchObject({
      endpoint: 'https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/v1',
      region: 'eu-central-1',
      auth: { mode: 'msal', clientId: file[STACK_NAME][OUTPUTS.entraClientId], authority: `https://login.microsoftonline.com/${file[STACK_NAME][OUTPUTS.entraTenantId]}`, stsEndpoint: 'https://sts.eu-central-1.amazonaws.com/', roleArn: file[STACK_NAME][OUTPUTS.outlookRoleArn] },
      jiraBrowseUrl: 'https://acme.atlassian.net/browse',
    });
  });

  it('sets the page CSP connect-src to the API and the region\'s STS, and leaves the rest of the policy alone', () => {
    const html = readFileSync(join(root, 'public/taskpane.html'), 'utf8');
    const page = productionPage(html, outputs);
    expect(page).toContain(connectSrc(outputs));
    expect(page).not.toContain('api.pm-agent.example.com');
    expect(page).not.toContain('sts.eu-west-1');
    expect(page).toContain("frame-src 'none'; object-src 'none'");
    expect(() => productionPage('<html></html>', outputs)).toThrow(/connect-src/);
  });

  it('points both manifests at the hosting address, with no placeholder left', () => {
    const json = productionManifest(readFileSync(join(root, 'manifest.json'), 'utf8'), { hosting });
    expect(json).not.toContain(MANIFEST_PLACEHOLDER);
    const m = JSON.parse(json);
    expect(JSON.stringify(m)).toContain(`${hosting}taskpane.html`);
    const xml = productionManifest(readFileSync(join(root, 'manifest.xml'), 'utf8'), { hosting });
    expect(xml).not.toContain(MANIFEST_PLACEHOLDER);
    expect(() => new XMLParser().parse(xml, true)).not.toThrow();
    expect(xml).toContain(`<AppDomain>https://addin.acme.example.org</AppDomain>`);
    expect(() => productionManifest(json, { hosting: 'http://insecure.example.org/' })).toThrow(/https/);
  });

  it('gives Forge the API host, and refuses outputs that are not this stack\'s', () => {
    expect(forgeBackendHost(outputs)).toBe('a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com');
    expect(() => readOutputs({ Other: file[STACK_NAME] }, STACK_NAME)).toThrow(/stack outputs/);
    expect(() => readOutputs({ [STACK_NAME]: { ...file[STACK_NAME], [OUTPUTS.apiHost]: 'evil.example.com' } }, STACK_NAME)).toThrow(/ApiHost/);
  });
});
