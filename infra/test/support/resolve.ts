import type { Template } from './synth';

/**
 * Turns the synthesised template's intrinsics into the concrete values CloudFormation would
 * produce in one fictional account, so an IAM simulator can evaluate the real policies.
 * Physical names are the logical ids (or the names the template sets).
 */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export class Resolver {
  constructor(private readonly t: Template) {}

  ref(id: string): string {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'PmAgent' };
    if (pseudo[id]) return pseudo[id];
    const r = this.t.Resources[id];
    if (!r) throw new Error(`no resource ${id}`);
    switch (r.Type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::Lambda::Function':
      case 'AWS::Logs::LogGroup':
        return id;
      case 'AWS::DynamoDB::Table':
        return this.resolve(r.Properties.TableName ?? id);
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${this.resolve(r.Properties.Name ?? id)}-AbCdEf`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${id}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${ACCOUNT}:policy/${id}`;
      case 'AWS::KMS::Key':
      case 'AWS::ApiGateway::RestApi':
      default:
        return id.toLowerCase();
    }
  }

  getAtt(id: string, attr: string): string {
    const r = this.t.Resources[id];
    if (!r) throw new Error(`no resource ${id}`);
    if (attr !== 'Arn') {
      if (attr === 'QueueName') return id;
      if (attr === 'RootResourceId') return 'root';
      throw new Error(`unsupported attribute ${id}.${attr}`);
    }
    const name = this.ref(id);
    switch (r.Type) {
      case 'AWS::IAM::Role': return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::IAM::User': return `arn:aws:iam::${ACCOUNT}:user/${name}`;
      case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
      case 'AWS::KMS::Key': return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
      case 'AWS::IAM::OIDCProvider': return `arn:aws:iam::${ACCOUNT}:oidc-provider/${id}`;
      case 'AWS::SNS::Topic': return `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`;
      case 'AWS::StepFunctions::StateMachine': return name;
      default: throw new Error(`no Arn for ${r.Type}`);
    }
  }

  resolve(v: any): any {
    if (Array.isArray(v)) return v.map((x) => this.resolve(x));
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1) {
        const [k] = keys as [string];
        const a = v[k];
        if (k === 'Ref') return this.ref(a);
        if (k === 'Fn::GetAtt') return this.getAtt(a[0], a[1]);
        if (k === 'Fn::Join') return (this.resolve(a[1]) as string[]).join(a[0]);
        if (k === 'Fn::Select') return this.resolve(a[1])[a[0]];
        if (k === 'Fn::Split') return (this.resolve(a[1]) as string).split(a[0]);
        if (k.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${k}`);
      }
      return Object.fromEntries(keys.map((key) => [key, this.resolve(v[key])]));
    }
    return v;
  }
}
