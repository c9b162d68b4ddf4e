import type { ApiErrorBody, ErrorCode, Suggestion } from '@pm-agent/shared';
import { describeIssues } from '@pm-agent/shared';
import type { z } from 'zod';

/** An error the caller can act on: an HTTP status, a code, and a message that says what to do. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ApiErrorBody, 'issues' | 'current'> = {},
  ) {
    super(message);
    this.name = 'Problem';
  }

  /** As a stored outcome; the request id is added when it is sent. */
  asOutcome(): { status: number; body: ApiErrorBody } {
    return { status: this.status, body: this.body() };
  }

  body(requestId?: string): ApiErrorBody {
    return { error: this.code, message: this.message, ...(requestId ? { requestId } : {}), ...this.extra };
  }
}

export const problems = {
  invalid: (what: string, error: z.ZodError) => {
    const issues = describeIssues(error);
    const first = issues.slice(0, 3).map((i) => `${i.path} ${i.message}`).join('; ');
    return new Problem(400, 'bad_request', `Invalid ${what}: ${first}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`, { issues });
  },
  badRequest: (message: string) => new Problem(400, 'bad_request', message),
  notFound: (message: string) => new Problem(404, 'not_found', message),
  conflict: (message: string, current?: Suggestion) => new Problem(409, 'conflict', message, current ? { current } : {}),
  forbidden: (message: string) => new Problem(403, 'forbidden', message),
  unprocessable: (message: string) => new Problem(422, 'unprocessable', message),
  tooLarge: (limitBytes: number) =>
    new Problem(413, 'payload_too_large', `The request body is larger than this route accepts (${Math.round(limitBytes / 1024)} KiB).`),
};
