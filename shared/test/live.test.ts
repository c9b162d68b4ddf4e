import { LIVE_MAX_BACKOFF_MS, LIVE_REFRESH_MS, nextPollDelay, pollsPerHour, startPolling, type VisibilityLike } from '../src/live';

describe('the live refresh backoff schedule', () => {
  it('waits the interval while polls succeed, doubles after each failure, and stops doubling at two minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((f) => nextPollDelay(f))).toEqual([10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000, 120_000]);
    expect(LIVE_REFRESH_MS).toBe(10_000);
    expect(LIVE_MAX_BACKOFF_MS).toBe(120_000);
  });

  it('scales from a shorter interval (tests) with the same cap, and never waits less than the interval', () => {
    expect([0, 1, 2, 10].map((f) => nextPollDelay(f, 500))).toEqual([500, 1_000, 2_000, 120_000]);
    expect(nextPollDelay(-1, 500)).toBe(500);
    expect(nextPollDelay(3, 300_000)).toBe(300_000);
  });

  it('costs 360 calls an hour for an open page at the default interval', () => {
    expect(pollsPerHour()).toBe(360);
    expect(pollsPerHour(15_000)).toBe(240);
  });
});

/** A page's visibility, switched by the test. */
class FakeVisibility implements VisibilityLike {
  visibilityState = 'visible';
  private listeners = new Set<() => void>();
  addEventListener(_t: 'visibilitychange', l: () => void) {
    this.listeners.add(l);
  }
  removeEventListener(_t: 'visibilitychange', l: () => void) {
    this.listeners.delete(l);
  }
  set(state: 'visible' | 'hidden') {
    this.visibilityState = state;
    for (const l of this.listeners) l();
  }
  get count() {
    return this.listeners.size;
  }
}

describe('startPolling', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Runs the timers and lets the tick's promise settle. */
  const advance = async (ms: number) => {
    await jest.advanceTimersByTimeAsync(ms);
  };

  it('polls on the schedule, backs off after failures and returns to the interval after a success', async () => {
    const answers = [true, false, false, true, true];
    const at: number[] = [];
    const start = Date.now();
    const poll = startPolling({ intervalMs: 1_000, tick: async () => (at.push(Date.now() - start), answers.shift() ?? true) });
    await advance(1_000 + 1_000 + 2_000 + 4_000 + 1_000);
    poll.stop();
    expect(at).toEqual([1_000, 2_000, 4_000, 8_000, 9_000]);
  });

  it('counts a thrown tick as a failure', async () => {
    let calls = 0;
    const poll = startPolling({ intervalMs: 1_000, tick: async () => (calls++, Promise.reject(new Error('offline'))) });
    await advance(1_000 + 2_000);
    expect(calls).toBe(2);
    await advance(3_999);
    expect(calls).toBe(2);
    await advance(1);
    expect(calls).toBe(3);
    poll.stop();
  });

  it('calls nothing while the page is hidden and polls at once when it shows again', async () => {
    const page = new FakeVisibility();
    let calls = 0;
    const poll = startPolling({ intervalMs: 1_000, tick: async () => (calls++, true), visibility: page });
    await advance(1_000);
    expect(calls).toBe(1);
    page.set('hidden');
    await advance(60_000);
    expect(calls).toBe(1);
    page.set('visible');
    await advance(0);
    expect(calls).toBe(2);
    await advance(1_000);
    expect(calls).toBe(3);
    poll.stop();
    expect(page.count).toBe(0);
  });

  it('stop ends it: no call after, even for a tick in flight', async () => {
    let calls = 0;
    let release: (v: boolean) => void = () => undefined;
    const poll = startPolling({ intervalMs: 1_000, tick: () => (calls++, new Promise<boolean>((r) => (release = r))) });
    await advance(1_000);
    poll.stop();
    release(true);
    await advance(10_000);
    expect(calls).toBe(1);
  });
});
