/**
 * The Lambda functions, as data: each has its own role, its bundle (built by esbuild from the
 * backend's AWS entries, see bundles.ts) and its limits.
 *
 * Runtime: nodejs22.x on purpose. Forge runs nodejs22.x, so one Node line is tested for both
 * (the bundles run under the node@22 binary in `npm test`); cdk-nag's "latest runtime" rule is
 * suppressed with this reason. Move to the next LTS together with Forge.
 */
export const FUNCTIONS = {
  api: { entry: 'backend/src/aws/lambda-entry.ts', memoryMb: 512, timeoutSeconds: 29, description: 'The API behind API Gateway (the web-standard app)' },
  sanitise: { entry: 'backend/src/aws/sanitise-handler.ts', memoryMb: 512, timeoutSeconds: 60, description: 'Triage stage 1: raw email to structured facts; holds the model key only' },
  classify: { entry: 'backend/src/aws/classify-handler.ts', memoryMb: 256, timeoutSeconds: 60, description: 'Triage stage 2: facts to category, priority and proposed actions; holds the model key only' },
  execute: { entry: 'backend/src/aws/execute-handler.ts', memoryMb: 256, timeoutSeconds: 30, description: 'Runs approved and due suggestions against Jira; the only reader of the Jira secret' },
  dispatcher: { entry: 'backend/src/aws/dispatcher-handler.ts', memoryMb: 256, timeoutSeconds: 50, description: 'Every minute: claims approved and due suggestions and queues them for execute' },
} as const;

export type FunctionName = keyof typeof FUNCTIONS;
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** Hold timers run within one minute of runAt: the dispatcher's schedule. */
export const DISPATCH_SCHEDULE_MINUTES = 1;
/** Receives of one execute message before it goes to the dead-letter queue. */
export const EXECUTE_MAX_RECEIVES = 3;
