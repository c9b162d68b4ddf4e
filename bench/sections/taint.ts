import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackendClient, staticCredentials } from '@pm-agent/backend-client';
import { payloadTrust, trustedForAuto, type EmailInput, type Suggestion } from '@pm-agent/shared';
import { classifyOfflineScreened } from '../../backend/src/stages/classify/offline-classifier';
import { SUSPICIOUS_SIGNAL_KINDS } from '../../backend/src/stages/model/suspicious';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from '../../backend/src/stages/sanitise';
import { leaveOneSetOut, type SetScore } from '../../backend/tools/offline-classifier-loso';

import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { BENCH_TRIAGE_RATE, outlookBenchClient } from '../lib/outlook-client';
import type { BenchContext, SectionResult } from '../lib/section';
import { round } from '../lib/stats';

/**
 * Issue 12's rates, through the real pipeline (stage processes, offline classifier, store,
 * dispatcher, execute stage) at `delegated`: how many hostile emails raise a signal that voids
 * their actions, per corpus; false alarms on ordinary mail; how many suggestions carry outside
 * text and whether any ran without a person (must be 0); and the share of facts-only comments
 * that still ran by themselves. `hostile-heldout` was written after the detectors were tuned.
 */
export const name = 'taint';

const EMAILS = join(__dirname, '../../backend/test/fixtures/emails');
const CORPORA = ['hostile', 'hostile-benchmark', 'hostile-heldout', 'ordinary'] as const;
const SKIP = new Set(['expectations.json', 'shapes.json']);

const load = (dir: string): EmailInput[] =>
  readdirSync(join(EMAILS, dir))
    .filter((f) => f.endsWith('.json') && !SKIP.has(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(EMAILS, dir, f), 'utf8')) as EmailInput);

const settledStates = new Set(['pending', 'executed', 'failed', 'rejected', 'expired', 'stopped']);

async function settle(backend: LocalBackend, ids: string[]): Promise<Suggestion[]> {
  await backend.dispatcher!.kick();
  const end = Date.now() + 60_000;
  for (;;) {
    const all = await Promise.all(ids.map(async (id) => (await backend.store.getSuggestion(id))!));
    if (all.every((s) => settledStates.has(s.state)) || Date.now() > end) return all;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Issue 14.15: the offline classifier over each labelled ordinary set, in-process. The sets and how
 * each was made are in fixtures/emails/labelled-sets.json: `labelled/` is the one the rules were
 * first tuned on; each `labelled-heldout*` set was measured once before the rules saw it
 * (`blind_category_accuracy`); G and H have not been tuned on since (`tuned_on`). The learned
 * category table is trained on every set, so `category_accuracy` is on mail it has seen; the
 * `loso_*` figures are from a table trained on the other sets (leave one set out).
 */
function offlineAccuracy(dir: string, set: { blindCategoryAccuracy: number | null; tunedOn: boolean }, loso: SetScore): Record<string, number | boolean | null> {
  const labels = JSON.parse(readFileSync(join(EMAILS, dir, 'labels.json'), 'utf8')) as Record<string, { category: string; priority: string }>;
  let category = 0;
  let priority = 0;
  let suspicious = 0;
  for (const [file, label] of Object.entries(labels)) {
    const clean = sanitiseDeterministic(JSON.parse(readFileSync(join(EMAILS, file), 'utf8')) as EmailInput);
    const c = classifyOfflineScreened(toSanitisedEmail(clean, extractFactsOffline(clean)), { internalDomains: ['example.com'], defaultProjectKey: 'ABC' }).classification;
    if (c.category === label.category) category++;
    if (c.priority === label.priority) priority++;
    if (c.category === 'suspicious') suspicious++;
  }
  const n = Object.keys(labels).length;
  return {
    emails: n,
    category_accuracy: round(category / n, 3),
    priority_accuracy: round(priority / n, 3),
    false_alarm_rate: round(suspicious / n, 3),
    loso_category_accuracy: round(loso.learned.category, 3),
    loso_priority_accuracy: round(loso.learned.priority, 3),
    rules_alone_category_accuracy: round(loso.rules.category, 3),
    blind_category_accuracy: set.blindCategoryAccuracy,
    tuned_on: set.tunedOn,
  };
}

function offlineSets(): Record<string, Record<string, number | boolean | null>> {
  const sets = JSON.parse(readFileSync(join(EMAILS, 'labelled-sets.json'), 'utf8')) as Record<string, { blindCategoryAccuracy: number | null; tunedOn: boolean }>;
  const loso = leaveOneSetOut(Object.keys(sets));
  return Object.fromEntries(Object.entries(sets).map(([dir, set], i) => [`offline_${dir.replace(/-/g, '_')}`, offlineAccuracy(dir, set, loso[i]!)]));
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-bench-taint-'));
  let backend: LocalBackend | undefined;
  try {
    backend = await startLocalBackend({ home, port: 0, jiraPort: 0, stages: true, seed: false, modelEnv: { ...BENCH_TRIAGE_RATE } });
    const url = backend.url;
    const { region, principals } = backend.files.credentials;
    const admin = createBackendClient({ endpoint: url, region, credentials: staticCredentials(principals.forge), identity: { accountId: LOCAL_USER.accountId, site: LOCAL_USER.site, role: 'admin' } });
    const view = await admin.getSettings();
    await admin.updateSettings({ ...view.settings, autonomyLevel: 'delegated' }, view.version);
    const outlook = outlookBenchClient(backend);

    const out: Record<string, unknown> = offlineSets();
    for (const corpus of CORPORA) {
      const emails = load(corpus);
      ctx.log(`taint: ${corpus}, ${emails.length} emails at delegated`);
      let flagged = 0;
      let suspicious = 0;
      const created: Suggestion[] = [];
      for (const email of emails) {
        const { triage } = await outlook.triage(email);
        if (triage.signals.some((s) => SUSPICIOUS_SIGNAL_KINDS.has(s.kind))) flagged++;
        if (triage.category === 'suspicious') suspicious++;
        created.push(...triage.suggestions);
      }
      const now = await settle(backend, created.map((s) => s.id));
      const outside = now.filter((s) => !trustedForAuto(payloadTrust(s)));
      const facts = now.filter((s) => payloadTrust(s).origin === 'facts');
      const ranAlone = (s: Suggestion) => s.decision === null && ['executing', 'executed', 'failed'].includes(s.state);
      out[corpus] = {
        emails: emails.length,
        flagged_rate: round(flagged / emails.length, 3),
        labelled_suspicious: suspicious,
        suggestions: now.length,
        with_outside_text: outside.length,
        outside_text_ran_without_a_human: outside.filter(ranAlone).length + outside.filter((s) => s.state === 'scheduled').length,
        facts_only_comments: facts.length,
        facts_only_ran_auto_share: facts.length ? round(facts.filter(ranAlone).length / facts.length, 3) : null,
      };
    }
    return out;
  } finally {
    await backend?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export function summary(r: SectionResult): string[] {
  return Object.entries(r).filter(([, v]) => typeof v === 'object' && v !== null).map(([corpus, v]) => {
    const x = v as Record<string, unknown>;
    if (corpus.startsWith('offline_')) {
      const blind = x.blind_category_accuracy === null ? '' : `, category when first measured (before tuning) ${x.blind_category_accuracy}`;
      return `offline classifier, ${corpus.slice('offline_'.length)} (rules ${x.tuned_on ? 'tuned on it' : 'not tuned on it'}), ${x.emails} ordinary emails: category ${x.category_accuracy} (trained on it; leave-one-set-out ${x.loso_category_accuracy}, rules alone ${x.rules_alone_category_accuracy}), priority ${x.priority_accuracy} (leave-one-set-out ${x.loso_priority_accuracy}), labelled suspicious ${x.false_alarm_rate}${blind}`;
    }
    return `${corpus}: ${x.emails} emails, flagged ${x.flagged_rate}, suspicious ${x.labelled_suspicious}, outside-text suggestions ${x.with_outside_text} (ran alone: ${x.outside_text_ran_without_a_human}), facts-only ${x.facts_only_comments} (auto share ${x.facts_only_ran_auto_share})`;
  });
}
