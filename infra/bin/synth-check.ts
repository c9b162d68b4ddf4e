import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../src/app';
const { app } = buildApp({ code: () => Code.fromInline('exports.handler = async () => ({})'), outdir: '/tmp/infra-cdk-out' });
const asm = app.synth();
console.log(asm.directory);
