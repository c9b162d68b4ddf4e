import type { CreateSuggestionRequest, Settings } from '@pm-agent/shared';
import { DEFAULT_SETTINGS } from '@pm-agent/shared';
import { AGENT_ACTOR, type Caller } from '@pm-agent/backend/domain';
import { updateSettings } from '@pm-agent/backend/domain';
import { createSuggestion } from '@pm-agent/backend/domain';
import type { Store } from '@pm-agent/backend/store';

/** The person the local hosts sign in as. */
export const LOCAL_USER = {
  accountId: '712020:0e5f3a1c-local-pat-morgan',
  name: 'Pat Morgan',
  email: 'pat.morgan@example.com',
  site: 'local.atlassian.net',
} as const;

const SEED_ACTOR: Caller = { principal: 'forge', actor: { principal: 'system', id: 'local-seed', name: 'Local stack seed' }, admin: true };

/** Local settings: the defaults (manual autonomy), with the local user allowed to approve. */
const LOCAL_SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  approvers: [{ name: LOCAL_USER.name, jiraAccountId: LOCAL_USER.accountId, email: LOCAL_USER.email }],
};

export const SAMPLE_SUGGESTIONS: CreateSuggestionRequest[] = [
  {
    actionType: 'jira_comment',
    payload: {
      issueKey: 'ABC-123',
      body: 'Northwind confirmed their sandbox API will be ready on 4 December, not 27 November. Integration testing moves to the week of 7 December; the release date is unchanged for now.',
    },
    rationale: 'The vendor email moves a date this issue depends on; the team tracking ABC-123 should see it.',
    mailbox: LOCAL_USER.email,
    provenance: {
      source: 'email',
      ref: '<CAF1d9x2-sandbox-delay@northwind.example>',
      title: 'Re: Sandbox availability',
      excerpt: 'Unfortunately the sandbox environment will not be ready until 4 December. We apologise for the delay.',
    },
  },
  {
    actionType: 'jira_status_change',
    payload: { issueKey: 'ABC-124', toStatus: 'In Review' },
    rationale: 'The pull request linked from ABC-124 was opened and a reviewer was assigned.',
    provenance: { source: 'jira_issue', ref: 'ABC-124', title: 'Export audit log as CSV', excerpt: 'PR #212 opened, review requested from Sam.' },
  },
  {
    actionType: 'milestone_change',
    payload: { milestone: 'Beta launch', currentDate: '2026-12-01', proposedDate: '2026-12-08', reason: 'The vendor sandbox slips by a week and integration testing needs five working days.' },
    rationale: 'The sandbox delay leaves too little time for integration testing before the current beta date.',
    mailbox: LOCAL_USER.email,
    provenance: { source: 'email', ref: '<CAF1d9x2-sandbox-delay@northwind.example>', title: 'Re: Sandbox availability', excerpt: 'will not be ready until 4 December' },
  },
  {
    actionType: 'email_external',
    payload: {
      to: ['dana.lee@northwind.example'],
      subject: 'Re: Sandbox availability',
      body: 'Hi Dana,\n\nThanks for letting us know. Could you confirm the sandbox will include the webhook endpoints? We plan integration testing from 7 December.\n\nBest,\nPat',
    },
    rationale: 'The plan depends on the webhook endpoints being in the sandbox; the vendor should confirm.',
    mailbox: LOCAL_USER.email,
    provenance: { source: 'email', ref: '<CAF1d9x2-sandbox-delay@northwind.example>', title: 'Re: Sandbox availability', excerpt: 'the sandbox environment will not be ready until 4 December' },
  },
];

/** Seeds an empty store only; a store with anything in it is left alone. */
export async function seedIfEmpty(store: Store, now: () => Date): Promise<boolean> {
  if ((await store.countSuggestions()) > 0 || (await store.getSettings()).version > 0) return false;
  await updateSettings({ store, now }, SEED_ACTOR, LOCAL_SETTINGS);
  const agent: Caller = { principal: 'agent', actor: AGENT_ACTOR, admin: false };
  for (const s of SAMPLE_SUGGESTIONS) await createSuggestion({ store, now }, agent, s);
  return true;
}
