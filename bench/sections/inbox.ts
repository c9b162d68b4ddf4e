import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSuggestion } from '@pm-agent/backend/domain';
import { AGENT_ACTOR } from '@pm-agent/backend/domain';
import { resolverDefinitions } from '@pm-agent/forge-app/resolvers';
import { createMemoryPorts, forgeContextFor } from '@pm-agent/forge-app/stand-ins';
import { LIVE_MAX_BACKOFF_MS, LIVE_REFRESH_MS } from '@pm-agent/forge-app/frontend/live';
import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { pollsPerHour } from '@pm-agent/shared';
import { budget } from '../lib/budget';
import type { BenchContext, SectionResult } from '../lib/section';
import { summarize } from '../lib/stats';

/**
 * The approvals inbox: one inbox page load through the real getInbox resolver (signing, the
 * backend's filter/count/page over every suggestion, validation) with 1,000 suggestions in the
 * store; and what live refresh costs in resolver calls per open page per hour.
 */
export const name = 'inbox';

const SUGGESTIONS = 1_000;
const BUDGET_INBOX_LOAD_P99_MS = 250;

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const n = ctx.quick ? 30 : 200;
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-bench-inbox-'));
  let backend: LocalBackend | undefined;
  try {
    backend = await startLocalBackend({ home, port: 0, seed: true });
    const store = backend.store;
    const agent = { principal: 'agent' as const, actor: AGENT_ACTOR, admin: false };
    const count = await store.countSuggestions();
    ctx.log(`inbox: filling the store to ${SUGGESTIONS} suggestions`);
    for (let i = count; i < SUGGESTIONS; i++) {
      await createSuggestion({ store, now: () => new Date() }, agent, {
        actionType: 'jira_comment',
        payload: { issueKey: `ABC-${200 + (i % 300)}`, body: `Bench suggestion ${i}: the sprint review moves to Thursday.` },
        rationale: 'Bench data.',
        provenance: { source: i % 3 ? 'email' : 'jira_issue', ref: `<bench-${i}@example.com>`, excerpt: 'bench' },
      });
    }
    const ports = createMemoryPorts({ admins: [LOCAL_USER.accountId] });
    const resolvers = resolverDefinitions(ports);
    const { principals, region } = backend.files.credentials;
    await resolvers.saveConnection({ payload: { endpoint: backend.url, region, ...principals.forge }, context: forgeContextFor('adminPage', { accountId: LOCAL_USER.accountId }).resolver });
    const page = forgeContextFor('inboxPage', { accountId: LOCAL_USER.accountId }).resolver;
    const queries = [{ group: 'waiting' as const, limit: 20 }, { group: 'all' as const, q: 'thursday', limit: 20 }, { issue: 'none' as const, limit: 20 }];
    const load = (i: number) => resolvers.getInbox({ payload: queries[i % queries.length], context: page });
    const first = (await load(0)) as { ok: boolean; total?: number };
    if (!first.ok) throw new Error(`getInbox failed: ${JSON.stringify(first)}`);
    for (let i = 0; i < 10; i++) await load(i);
    ctx.log(`inbox: ${n} inbox loads through the resolver over ${SUGGESTIONS} suggestions`);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await load(i);
      times.push(performance.now() - t0);
    }
    const s = summarize(times);
    const perHour = Math.round(3_600_000 / LIVE_REFRESH_MS);
    // The issue panel's poll: one getIssueSuggestions resolver call (GET /v1/suggestions?issueKey + GET /v1/viewer).
    const panel = forgeContextFor('issuePanel', { accountId: LOCAL_USER.accountId, issueKey: 'ABC-123' }).resolver;
    const panelTimes: number[] = [];
    for (let i = 0; i < Math.min(n, 50); i++) {
      const t0 = performance.now();
      const res = (await resolvers.getIssueSuggestions({ payload: {}, context: panel })) as { ok: boolean };
      if (!res.ok) throw new Error(`getIssueSuggestions failed: ${JSON.stringify(res)}`);
      panelTimes.push(performance.now() - t0);
    }
    const p = summarize(panelTimes);
    return {
      inbox_load: {
        suggestions_in_store: await store.countSuggestions(),
        requests: n,
        queries: 'alternating: waiting (first page of 20), all + text search, no issue key',
        includes: 'payload and context checks, signing, GET /v1/viewer and GET /v1/inbox (filter, count and page in the backend), response validation',
        latency_ms: s,
        budget: budget('p99_ms', s.p99, BUDGET_INBOX_LOAD_P99_MS),
      },
      live_refresh: {
        interval_ms: LIVE_REFRESH_MS,
        max_backoff_ms: LIVE_MAX_BACKOFF_MS,
        resolver_calls_per_open_page_per_hour: perHour,
        resolver_calls_per_open_page_per_hour_at_full_backoff: Math.round(3_600_000 / LIVE_MAX_BACKOFF_MS),
        note: 'one getInbox call per poll (it also answers for cards that left the view); the wait doubles after each failed poll up to the maximum',
        backend_seconds_per_page_per_hour: Number(((perHour * s.p50) / 1000).toFixed(1)),
      },
      live_refresh_issue_panel: {
        interval_ms: LIVE_REFRESH_MS,
        resolver_calls_per_open_panel_per_hour: pollsPerHour(LIVE_REFRESH_MS),
        backend_api_calls_per_open_panel_per_hour: 2 * pollsPerHour(LIVE_REFRESH_MS),
        resolver_calls_per_open_panel_per_hour_at_full_backoff: pollsPerHour(LIVE_MAX_BACKOFF_MS),
        hidden_page: 'no calls while the page is hidden (visibilitychange); one poll when it shows again',
        poll_latency_ms: p,
        note: 'one getIssueSuggestions resolver call per poll (GET /v1/suggestions for the issue and GET /v1/viewer); nothing is redrawn unless a suggestion changed',
      },
      live_refresh_outlook_pane: {
        interval_ms: LIVE_REFRESH_MS,
        api_calls_per_open_pane_per_hour: pollsPerHour(LIVE_REFRESH_MS),
        api_calls_per_open_pane_per_hour_at_full_backoff: pollsPerHour(LIVE_MAX_BACKOFF_MS),
        note: 'the pane has no resolver: it calls the API directly, one signed call per poll for what it shows (GET /v1/triage/{messageKey} for the open email\'s result, or GET /v1/inbox?group=waiting for "Waiting for you"), plus one GET /v1/suggestions/{id} per card that just left the waiting list; no call when it shows neither (no email triaged, list closed) or is hidden. Not measured here: the same backend routes as inbox_load',
      },
    };
  } finally {
    await backend?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export function summary(r: SectionResult): string[] {
  const l = r.inbox_load as { suggestions_in_store: number; latency_ms: { p50: number; p99: number } };
  const live = r.live_refresh as { interval_ms: number; resolver_calls_per_open_page_per_hour: number };
  return [
    `inbox load through the resolver with ${l.suggestions_in_store} suggestions: p50 ${l.latency_ms.p50.toFixed(1)} ms, p99 ${l.latency_ms.p99.toFixed(1)} ms`,
    `live refresh every ${live.interval_ms / 1000} s: ${live.resolver_calls_per_open_page_per_hour} resolver calls per open page per hour`,
    `issue panel live refresh: ${(r.live_refresh_issue_panel as { resolver_calls_per_open_panel_per_hour: number }).resolver_calls_per_open_panel_per_hour} resolver calls per open panel per hour (p50 ${(r.live_refresh_issue_panel as { poll_latency_ms: { p50: number } }).poll_latency_ms.p50.toFixed(1)} ms each); Outlook pane: ${(r.live_refresh_outlook_pane as { api_calls_per_open_pane_per_hour: number }).api_calls_per_open_pane_per_hour} API calls per open pane per hour`,
  ];
}
