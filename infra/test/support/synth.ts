import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../src/app';
import type { PmAgentStack } from '../../src/stack';

export type Template = { Resources: Record<string, { Type: string; Properties?: any; Metadata?: any }>; Outputs?: Record<string, any> };

/**
 * Synthesises the real app once (cdk-nag runs as a validation plugin: synthesis throws on an
 * unsuppressed error). Functions get a stand-in body: the template does not depend on the bundle.
 */
export function synthesise(context?: Record<string, unknown>): { stack: PmAgentStack; template: Template; report: any; cleanup: () => void } {
  const outdir = mkdtempSync(join(tmpdir(), 'pm-agent-cdk-'));
  const { app, stack } = buildApp({ code: () => Code.fromInline('exports.handler = async () => ({})'), outdir, ...(context ? { context } : {}) });
  const assembly = app.synth();
  const template = JSON.parse(readFileSync(join(assembly.directory, `${stack.artifactId}.template.json`), 'utf8')) as Template;
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  return { stack, template, report, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}
