import type { Health } from '@pm-agent/shared';
import type { Handler } from '../http/context';

export const health: Handler = async (ctx) => {
  const body: Health = { status: 'ok', service: 'pm-agent-backend', version: ctx.deps.version, mode: ctx.deps.mode, time: ctx.deps.now().toISOString() };
  return { status: 200, body };
};
