import { z } from 'zod';

/**
 * Deploy-time settings, read from CDK context (`-c key=value` or cdk.json). Every one has a
 * placeholder so `npm run synth` works on a fresh clone; `npm run deploy` refuses the placeholders
 * (see bin/app.ts). None of them is a secret: secrets are put into Secrets Manager after deploy.
 */
const Guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID');

export const DeploySettingsSchema = z.strictObject({
  /** The Jira Cloud site the execute stage acts on, e.g. https://acme.atlassian.net */
  jiraSite: z.url().refine((u) => u.startsWith('https://'), 'https only'),
  /** Entra ID (Azure AD) tenant of the Outlook users: only tokens issued by this tenant are accepted. */
  entraTenantId: Guid,
  /** The Entra ID app (client) id the task pane signs in with; the token's audience. */
  entraClientId: Guid,
  /** The Forge installation (Jira site cloud id) allowed to use the forge principal: recorded on the user as a tag. */
  forgeInstallation: z.string().min(1).max(128),
  /** Browser origins allowed to call the API (the Outlook add-in's hosting address). */
  allowedOrigins: z.array(z.url()).max(10),
  /** Who may assume the agent role: an IAM principal ARN in this or another account. Empty = this account's root (delegate with IAM). */
  agentPrincipalArn: z.string().regex(/^(arn:aws:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+))?$/).default(''),
  /** Where alarms are sent (an email address subscribed to the alarm topic); empty = none. */
  alarmEmail: z.union([z.email(), z.literal('')]).default(''),
});
export type DeploySettings = z.infer<typeof DeploySettingsSchema>;

export const PLACEHOLDER_SETTINGS: DeploySettings = {
  jiraSite: 'https://your-site.atlassian.net',
  entraTenantId: '00000000-0000-0000-0000-000000000000',
  entraClientId: '00000000-0000-0000-0000-000000000001',
  forgeInstallation: 'your-forge-installation',
  allowedOrigins: ['https://addin.example.com'],
  agentPrincipalArn: '',
  alarmEmail: '',
};

/** Context values are strings on the command line; allowedOrigins may be a comma-separated list. */
export function settingsFromContext(get: (key: string) => unknown): { settings: DeploySettings; placeholders: string[] } {
  const raw: Record<string, unknown> = {};
  const placeholders: string[] = [];
  for (const key of Object.keys(PLACEHOLDER_SETTINGS) as Array<keyof DeploySettings>) {
    let v = get(key);
    if (v === undefined) {
      v = PLACEHOLDER_SETTINGS[key];
      if (key !== 'agentPrincipalArn' && key !== 'alarmEmail') placeholders.push(key);
    }
    if (key === 'allowedOrigins' && typeof v === 'string') v = v.split(',').map((s) => s.trim()).filter(Boolean);
    raw[key] = v;
  }
  const parsed = DeploySettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Deploy settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { settings: parsed.data, placeholders };
}
