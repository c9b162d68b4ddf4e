import { LOCAL_USER } from '@pm-agent/dev-stack';

/**
 * Who the local host's Jira pages act as. Pat is the seeded approver and a Jira admin; Riley can
 * see the panel but is on no approver list and is not an admin (open a page with `?as=riley`).
 */
export const LOCAL_JIRA_USERS = {
  pat: { accountId: LOCAL_USER.accountId, name: `${LOCAL_USER.name} (approver, Jira admin)`, admin: true },
  riley: { accountId: '712020:4f1b2c3d-local-riley-chen', name: 'Riley Chen (not an approver)', admin: false },
} as const;
export type LocalJiraUser = keyof typeof LOCAL_JIRA_USERS;

export function userFor(as: string | null | undefined): LocalJiraUser {
  return as && as in LOCAL_JIRA_USERS ? (as as LocalJiraUser) : 'pat';
}
