import { z } from 'zod';
import { OUTPUTS } from './stack';

/**
 * The apps' production settings, derived from the deployed stack's outputs (cdk deploy
 * --outputs-file) and the add-in's hosting address: one source for the Outlook pane's config,
 * its page CSP and manifests, and the Forge manifest's PM_AGENT_BACKEND_HOST.
 */
const Outputs = z.object({
  [OUTPUTS.apiUrl]: z.url(),
  [OUTPUTS.apiHost]: z.string().regex(/^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/),
  [OUTPUTS.region]: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/),
  [OUTPUTS.outlookRoleArn]: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/),
  [OUTPUTS.entraTenantId]: z.string().uuid(),
  [OUTPUTS.entraClientId]: z.string().uuid(),
  [OUTPUTS.jiraSite]: z.url(),
});
export type StackOutputs = z.infer<typeof Outputs>;

/** `cdk deploy --outputs-file` writes {"<stack>": {...outputs}}. */
export function readOutputs(file: unknown, stackName: string): StackOutputs {
  const stack = (file as Record<string, unknown> | null)?.[stackName];
  const parsed = Outputs.safeParse(stack);
  if (!parsed.success) throw new Error(`stack outputs for ${stackName}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface AddinOptions {
  /** Where the pane's folder is served, e.g. https://addin.example.org/outlook/ */
  hosting: string;
  /** The backend API scope registered on the Entra app; default api://<client id>/access_as_user. */
  scope?: string;
}

export function paneConfig(o: StackOutputs, opts: AddinOptions) {
  const clientId = o[OUTPUTS.entraClientId];
  return {
    endpoint: o[OUTPUTS.apiUrl].replace(/\/$/, ''),
    region: o[OUTPUTS.region],
    auth: {
      mode: 'msal' as const,
      clientId,
      authority: `https://login.microsoftonline.com/${o[OUTPUTS.entraTenantId]}`,
      scopes: [opts.scope ?? `api://${clientId}/access_as_user`],
      stsEndpoint: `https://sts.${o[OUTPUTS.region]}.amazonaws.com/`,
      roleArn: o[OUTPUTS.outlookRoleArn],
    },
    jiraBrowseUrl: `${o[OUTPUTS.jiraSite].replace(/\/$/, '')}/browse`,
  };
}

/** The page's connect-src: the pane's own origin, the API, this region's STS, Entra ID sign-in. */
export function connectSrc(o: StackOutputs): string {
  return `connect-src 'self' https://${o[OUTPUTS.apiHost]} https://sts.${o[OUTPUTS.region]}.amazonaws.com https://login.microsoftonline.com`;
}

export function productionPage(html: string, o: StackOutputs): string {
  // Only inside the CSP meta tag's content (the page's comment mentions connect-src too).
  const out = html.replace(/(http-equiv="Content-Security-Policy" content="[^"]*?)connect-src [^;"]*/, (_m, before: string) => before + connectSrc(o));
  if (out === html || !out.includes(connectSrc(o))) throw new Error('taskpane.html has no connect-src to set');
  return out;
}

/** Replaces the manifests' placeholder hosting address with the real one. */
export const MANIFEST_PLACEHOLDER = 'https://pm-agent.example.com';
export function productionManifest(text: string, opts: AddinOptions): string {
  const hosting = new URL(opts.hosting);
  if (hosting.protocol !== 'https:') throw new Error('the add-in must be hosted on https');
  // Pages and icons live under <origin>/outlook/ in the template; put them under the hosting path instead.
  const base = hosting.href.replace(/\/$/, '');
  return text.replaceAll(`${MANIFEST_PLACEHOLDER}/outlook`, base).replaceAll(MANIFEST_PLACEHOLDER, hosting.origin);
}

export function forgeBackendHost(o: StackOutputs): string {
  return o[OUTPUTS.apiHost];
}
