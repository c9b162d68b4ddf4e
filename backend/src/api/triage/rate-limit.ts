/**
 * Per-caller token buckets for triage: each caller may start `burst` triages at once and then
 * `perMinute` a minute. A caller over the limit gets 429 with Retry-After, and nobody else is
 * slowed by them. In memory, per API process: locally there is one; on AWS the WAF rate rule and
 * API Gateway throttling are the shared limits in front, and this one still bounds each instance.
 */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => Date,
  ) {}

  /** Takes one token for `key`; when none is left, says in how many whole seconds one will be. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const t = this.now().getTime();
    const rate = this.limit.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: t };
    b.tokens = Math.min(this.limit.burst, b.tokens + Math.max(0, t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.forgetFull();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) };
  }

  /** A bucket that has refilled holds nothing worth keeping. */
  private forgetFull(): void {
    const t = this.now().getTime();
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * (this.limit.perMinute / 60_000) >= this.limit.burst) this.buckets.delete(k);
  }
}
