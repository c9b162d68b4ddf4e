import { dirname, join } from 'node:path';
import { loadPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, Resolver } from './resolve';
import type { Template } from './synth';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Who asks: a role or user of the stack, by logical id. */
export interface Identity {
  logicalId: string;
  arn: string;
  identityPolicies: Array<{ name: string; policy: unknown }>;
  boundary: unknown | undefined;
}

/**
 * Answers "can identity X do action Y on resource Z" by evaluating the synthesised identity
 * policies, the permission boundary and the resource's own policy (secret, key, queue) with
 * @cloud-copilot/iam-simulate.
 */
export class IamModel {
  readonly r: Resolver;
  constructor(private readonly t: Template) {
    this.r = new Resolver(t);
  }

  identity(logicalId: string): Identity {
    const res = this.t.Resources[logicalId]!;
    const kind = res.Type === 'AWS::IAM::User' ? 'Users' : 'Roles';
    const arn = this.r.getAtt(logicalId, 'Arn');
    const policies: Array<{ name: string; policy: unknown }> = [];
    for (const [id, p] of Object.entries(this.t.Resources)) {
      if (p.Type !== 'AWS::IAM::Policy') continue;
      const attached = (p.Properties[kind] ?? []) as Array<{ Ref: string }>;
      if (attached.some((a) => a.Ref === logicalId)) policies.push({ name: id, policy: this.r.resolve(p.Properties.PolicyDocument) });
    }
    for (const p of res.Properties?.Policies ?? []) policies.push({ name: p.PolicyName, policy: this.r.resolve(p.PolicyDocument) });
    const b = res.Properties?.PermissionsBoundary;
    const boundary = b ? this.t.Resources[b.Ref]?.Properties.PolicyDocument : undefined;
    return { logicalId, arn, identityPolicies: policies, boundary: boundary ? this.r.resolve(boundary) : undefined };
  }

  /** The resource policy that governs a resource ARN, if the stack gives it one. */
  resourcePolicyFor(resourceArn: string): unknown | undefined {
    for (const [id, r] of Object.entries(this.t.Resources)) {
      if (r.Type === 'AWS::KMS::Key' && this.r.getAtt(id, 'Arn') === resourceArn) return this.r.resolve(r.Properties.KeyPolicy);
      if (r.Type === 'AWS::SecretsManager::ResourcePolicy' && this.r.resolve(r.Properties.SecretId) === resourceArn) return this.r.resolve(r.Properties.ResourcePolicy);
      if (r.Type === 'AWS::SQS::QueuePolicy' && (r.Properties.Queues as unknown[]).some((q) => this.queueArnOfUrl(this.r.resolve(q)) === resourceArn)) return this.r.resolve(r.Properties.PolicyDocument);
    }
    return undefined;
  }

  private queueArnOfUrl(url: string): string {
    const name = url.split('/').pop();
    return `arn:aws:sqs:eu-west-1:${ACCOUNT}:${name}`;
  }

  async can(who: Identity, action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Decision> {
    const resourcePolicy = this.resourcePolicyFor(resource);
    const simulation = {
        request: {
          principal: who.arn,
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: { 'aws:PrincipalArn': who.arn, 'aws:SecureTransport': 'true', ...context },
        },
        identityPolicies: who.identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
        ...(who.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: who.boundary }] } : {}),
      } as never;
    // The checked entry point drops `kms:EncryptionContext:<key>` as an unknown context key (it only
    // knows `prefix/<name>` variables), so such requests go through the unchecked one, same engine.
    if (Object.keys(context).some((k) => k.startsWith('kms:EncryptionContext:'))) return unchecked(simulation);
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(result.errors).slice(0, 600)}`);
    return result.overallResult as Decision;
  }
}

/**
 * The library's own `runUnsafeSimulation`, except that the resource policy gets a name (the
 * library's version loads it without one and then fails reading it). Same core engine.
 */
function unchecked(simulation: any): Decision {
  const base = dirname(require.resolve('@cloud-copilot/iam-simulate'));
  const { authorize } = require(join(base, 'core_engine/CoreSimulatorEngine.js'));
  const { AwsRequestImpl } = require(join(base, 'request/request.js'));
  const { RequestContextImpl } = require(join(base, 'requestContext.js'));
  const { DiscoveryContextKeyConstraints } = require(join(base, 'context_keys/discoveryContextKeyConstraints.js'));
  const req = simulation.request;
  const analysis = authorize({
    request: new AwsRequestImpl(req.principal, req.resource, req.action, new RequestContextImpl(req.contextVariables)),
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p: any) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy ? loadPolicy(simulation.resourcePolicy, { name: 'resource' }) : undefined,
    permissionBoundaries: simulation.permissionBoundaryPolicies?.map((p: any) => loadPolicy(p.policy, { name: p.name })),
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: { blockPublicAccess: undefined } },
  });
  return analysis.result as Decision;
}
