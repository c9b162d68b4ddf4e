import { JiraClient } from '../stages/execute/jira/jira-client';
import { runJob } from '../stages/execute/run-job';
import type { ExecuteJob } from '../contracts/execute-job';
import { awsStore } from './aws-store';
import { executeOne } from './execute-flow';
import { secretCache } from './secrets';
import { processBatch, type SqsBatchResponse, type SqsEvent } from './sqs-batch';

/**
 * SQS → execute. The only function whose role can read the Jira secret. Each message names one
 * claimed suggestion; the run re-checks boundary, pause and approved hash itself (runJob), acts on
 * Jira with the comment marker, and settles in the store. Failures are reported per message
 * (partial batch failure), so a poison message ends in the dead-letter queue, not in a loop.
 */
async function jiraRunner(): Promise<(job: ExecuteJob) => Promise<unknown>> {
  const baseUrl = process.env.PM_AGENT_JIRA_BASE_URL;
  const secretId = process.env.PM_AGENT_JIRA_SECRET_ARN;
  if (!baseUrl || !secretId) throw new Error('PM_AGENT_JIRA_BASE_URL and PM_AGENT_JIRA_SECRET_ARN must be set (the stack sets both)');
  const { email, apiToken } = await secretCache().get(secretId);
  if (!email || !apiToken) {
    return async () => ({ outcome: 'failed', retryable: false, summary: 'The Jira secret has no email and API token yet: put them into it (infra/README.md, after deploy).' });
  }
  const jira = new JiraClient({ baseUrl, email, apiToken });
  return (job) => runJob(job, { jira, jiraBaseUrl: baseUrl });
}

export async function handler(event: SqsEvent): Promise<SqsBatchResponse> {
  const store = await awsStore();
  const execute = await jiraRunner();
  const now = () => new Date();
  return processBatch(event, async ({ suggestionId }) => {
    const done = await executeOne(store, now, suggestionId, execute);
    console.log(JSON.stringify({ event: 'execute.message', suggestionId, done }));
  });
}
