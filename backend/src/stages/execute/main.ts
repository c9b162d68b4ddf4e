import { JiraClient } from './jira/jira-client';
import { ExecuteJobSchema } from '../../contracts/execute-job';
import { runJob } from './run-job';
import { serveStage } from '../host/stage-host';

/**
 * The execute stage process. The only stage holding the Jira credentials; it receives jobs from
 * the runner, re-checks each one itself, and acts.
 */
const { JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN } = process.env;
const jira = JIRA_BASE_URL && JIRA_EMAIL && JIRA_API_TOKEN ? new JiraClient({ baseUrl: JIRA_BASE_URL, email: JIRA_EMAIL, apiToken: JIRA_API_TOKEN }) : undefined;

serveStage(async (input) => {
  const job = ExecuteJobSchema.parse(input);
  if (!jira || !JIRA_BASE_URL) {
    return { outcome: 'failed', retryable: false, summary: 'The execute stage has no Jira credentials configured (JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN).' };
  }
  return runJob(job, { jira, jiraBaseUrl: JIRA_BASE_URL });
});
