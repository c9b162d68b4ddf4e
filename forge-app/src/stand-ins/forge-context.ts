import { MODULE_KEYS, MODULE_TYPES, type ModuleName } from '../common/modules';
import type { ForgeContext } from '../resolvers/context';

/**
 * A context shaped like the one Forge sends for each module: for tests and for a host that runs
 * the pages outside Jira. `view` is what the page's `view.getContext()` returns (the bridge's
 * 'getContext'); `resolver` is what a resolver receives (Forge adds the verified accountId).
 */
export function forgeContextFor(
  module: ModuleName,
  who: { accountId: string; cloudId?: string; siteUrl?: string; issueKey?: string; localId?: string },
): { view: Record<string, unknown>; resolver: ForgeContext } {
  const issueKey = who.issueKey ?? 'ABC-123';
  const projectKey = issueKey.split('-')[0] ?? 'ABC';
  const extension =
    module === 'issuePanel'
      ? { type: MODULE_TYPES.issuePanel, issue: { key: issueKey, id: '10001', type: 'Task', typeId: '10002' }, project: { id: '10000', key: projectKey, type: 'software' }, isNewToIssue: false }
      : { type: MODULE_TYPES.adminPage };
  const cloudId = who.cloudId ?? 'a436116f-02ce-4520-8fbb-7301462a1674';
  const siteUrl = who.siteUrl ?? 'https://example.atlassian.net';
  const common = {
    cloudId,
    siteUrl,
    moduleKey: MODULE_KEYS[module],
    localId: who.localId ?? `ari:cloud:ecosystem::extension/pm-agent/${MODULE_KEYS[module]}`,
    environmentId: 'local-environment',
    environmentType: 'DEVELOPMENT',
    extension,
  };
  return {
    view: { ...common, accountId: who.accountId, locale: 'en-US', timezone: 'UTC' },
    resolver: { ...common, accountId: who.accountId },
  };
}
