import { z } from 'zod';

/**
 * The parts of Jira Cloud REST v3 responses the adapter relies on. Loose objects: Jira sends
 * many more fields and adds new ones; only what we read must be there and have the right type.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/
 */

export const ErrorBody = z.looseObject({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

const Status = z.looseObject({ id: z.string(), name: z.string() });

export const IssueResponse = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: z.string(),
  fields: z.looseObject({
    summary: z.string(),
    status: Status,
    issuetype: z.looseObject({ name: z.string() }).optional(),
    project: z.looseObject({ key: z.string() }).optional(),
  }),
});

const EntityProperty = z.looseObject({ key: z.string(), value: z.unknown() });

export const CommentResponse = z.looseObject({
  id: z.string(),
  self: z.string(),
  created: z.string(),
  updated: z.string().optional(),
  author: z.looseObject({ accountId: z.string().optional(), displayName: z.string() }).optional(),
  body: z.unknown(),
  properties: z.array(EntityProperty).optional(),
});

export const CommentPage = z.looseObject({
  startAt: z.number().int().nonnegative(),
  maxResults: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  comments: z.array(CommentResponse),
});

export const TransitionsResponse = z.looseObject({
  transitions: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      to: Status,
    }),
  ),
});

export const CreatedIssueResponse = z.looseObject({ id: z.string(), key: z.string(), self: z.string() });
