import { App } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Validations } from 'aws-cdk-lib';
import type { FunctionName } from './functions';
import { settingsFromContext } from './settings';
import { PmAgentStack } from './stack';

export const STACK_NAME = 'PmAgent';

/** The CDK app: one stack, cdk-nag AwsSolutions as a validation plugin (synthesis fails on an unsuppressed error). */
export function buildApp(opts: { code: (fn: FunctionName) => Code; context?: Record<string, unknown>; outdir?: string }): { app: App; stack: PmAgentStack; placeholders: string[] } {
  const app = new App({ ...(opts.outdir ? { outdir: opts.outdir } : {}), ...(opts.context ? { context: opts.context } : {}) });
  const { settings, placeholders } = settingsFromContext((k) => app.node.tryGetContext(k));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new PmAgentStack(app, STACK_NAME, {
    settings,
    code: opts.code,
    description: 'pm-agent approvals backend: API, isolated triage and execute Lambdas',
    ...(process.env.CDK_DEFAULT_REGION ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } } : {}),
  });
  return { app, stack, placeholders };
}
