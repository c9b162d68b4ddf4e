import type { ResolverError } from '../../common/contract';

/** Settings fields as the admin page names them: the backend's 400 names fields by their keys. */
export const FIELD_NAMES: Array<[RegExp, string]> = [
  [/^(settings\.)?holdDelayMinutes/, 'Hold delay'],
  [/^(settings\.)?undoWindowMinutes/, 'Undo window'],
  [/^(settings\.)?autonomyLevel/, 'Autonomy level'],
  [/^(settings\.)?approvers\.\d+\.name/, 'Approver’s name'],
  [/^(settings\.)?approvers\.\d+\.jiraAccountId/, 'Approver’s Jira account'],
  [/^(settings\.)?approvers\.\d+\.email/, 'Approver’s email'],
  [/^(settings\.)?approvers/, 'Approvers'],
  [/^(settings\.)?boundaryOverrides/, 'Decision boundaries'],
  [/^(settings\.)?paused/, 'Pause switch'],
];

export function fieldName(path: string): string {
  return FIELD_NAMES.find(([re]) => re.test(path))?.[1] ?? 'A setting';
}

/** A settings refusal with each field named in words ("Hold delay: must be at least 1"), not by its key. */
export function inWords(error: ResolverError): ResolverError {
  if (!error.issues?.length) return error;
  const issues = error.issues.map((i) => ({ path: fieldName(i.path), message: i.message }));
  return { ...error, message: 'The settings were not saved: the PM agent service refused these values.', issues };
}
