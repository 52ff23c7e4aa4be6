import { createVirtualClock, NetworkError, RateLimitError, ServerError, TimeoutError } from '@argentum/core';
import { type SchedulerAction, type SchedulerLike, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type CallPolicy, idleTimeout, retryDelayMs, withCallPolicy } from './call-policy';

const policy = (overrides: Partial<CallPolicy> = {}): CallPolicy => ({
  provider: 'openai',
  maxRetries: 3,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 1000,
  timeoutMs: 500,
  random: () => 1,
  ...overrides,
});

const serverError = () => new ServerError({ provider: 'openai', message: 'boom', status: 500 });

describe('retryDelayMs', () => {
  it('doubles the jitter ceiling per retry up to the cap (full jitter scales it)', () => {
    const top = policy({ random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map((n) => Math.round(retryDelayMs(serverError(), n, top)!))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(retryDelayMs(serverError(), 3, policy({ random: () => 0.25 }))).toBe(100);
    expect(retryDelayMs(serverError(), 3, policy({ random: () => 0 }))).toBe(0);
  });

  it('uses retry-after when given, and gives up when it exceeds the cap', () => {
    const limited = (retryAfterMs: number) =>
      new RateLimitError({ provider: 'openai', message: 'slow', retryAfterMs });
    expect(retryDelayMs(limited(750), 1, policy())).toBe(750);
    expect(retryDelayMs(limited(5000), 1, policy())).toBeUndefined();
  });

  it('never retries non-retryable or foreign errors', () => {
    const quota = new RateLimitError({ provider: 'openai', message: 'quota', retryable: false });
    expect(retryDelayMs(quota, 1, policy())).toBeUndefined();
    expect(retryDelayMs(new Error('bug'), 1, policy())).toBeUndefined();
  });
});

describe('idleTimeout (virtual time)', () => {
  it('fails exactly timeoutMs after the last value, each value restarting the window', () => {
    const clock = createVirtualClock();
    const source = new Subject<number>();
    const seen: number[] = [];
    let failedAt = -1;
    source
      .pipe(idleTimeout(500, clock.scheduler, () => new Error('idle')))
      .subscribe({ next: (value) => seen.push(value), error: () => (failedAt = clock.now()) });
    clock.advanceBy(300);
    source.next(1);
    clock.advanceBy(450); // 750: 450 ms after the value, the first deadline (500) has passed unharmed
    source.next(2);
    clock.advanceBy(499); // 1249
    expect(failedAt).toBe(-1);
    clock.advanceBy(1); // 1250 = 750 + 500
    expect(failedAt).toBe(1250);
    expect(seen).toEqual([1, 2]);
    expect(source.observed).toBe(false); // the source was unsubscribed
  });

  /** Wraps a scheduler to count the actions scheduled in total and those still pending. */
  function countingScheduler(base: SchedulerLike) {
    const counts = { scheduled: 0, pending: 0 };
    const scheduler: SchedulerLike = {
      now: () => base.now(),
      schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T) {
        counts.scheduled++;
        counts.pending++;
        let settled = false;
        const settle = () => {
          if (!settled) {
            settled = true;
            counts.pending--;
          }
        };
        const subscription = base.schedule<T>(
          function (this: SchedulerAction<T>, current?: T) {
            settle();
            work.call(this, current);
          },
          delay,
          state,
        );
        subscription.add(settle);
        return subscription;
      },
    };
    return { scheduler, counts };
  }

  it('keeps one timer for a stream of values, and none once it completes or is unsubscribed', () => {
    const clock = createVirtualClock();
    const { scheduler, counts } = countingScheduler(clock.scheduler);
    const frames = new Subject<number>();
    let failures = 0;
    frames.pipe(idleTimeout(500, scheduler, () => new Error('idle'))).subscribe({ error: () => failures++ });
    for (let i = 0; i < 100; i++) {
      clock.advanceBy(20);
      frames.next(i);
      expect(counts.pending).toBe(1);
    }
    expect(counts.scheduled).toBeLessThanOrEqual(5); // 2 s of 20 ms frames: a re-arm per 500 ms window
    frames.complete();
    expect(counts.pending).toBe(0);
    const subscription = new Subject<number>()
      .pipe(idleTimeout(500, scheduler, () => new Error('idle')))
      .subscribe({ error: () => failures++ });
    expect(counts.pending).toBe(1);
    subscription.unsubscribe();
    expect(counts.pending).toBe(0);
    clock.advanceBy(1000);
    expect(failures).toBe(0);
  });
});

describe('withCallPolicy (virtual time)', () => {
  it('retries a failing attempt after the backoff delays, then succeeds', async () => {
    const clock = createVirtualClock();
    const starts: number[] = [];
    const values: string[] = [];
    let done = false;
    withCallPolicy<string>(
      async (_signal, emit) => {
        starts.push(clock.now());
        if (starts.length < 3) throw serverError();
        emit('ok');
      },
      policy({ random: () => 0.5 }),
      clock.scheduler,
    ).subscribe({ next: (value) => values.push(value), complete: () => (done = true) });
    await Promise.resolve();
    await Promise.resolve();
    clock.advanceBy(50); // first retry after 0.5 × 100 ms
    for (let i = 0; i < 5; i++) await Promise.resolve();
    clock.advanceBy(100); // second retry after 0.5 × 200 ms
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(starts).toEqual([0, 50, 150]);
    expect(values).toEqual(['ok']);
    expect(done).toBe(true);
  });

  it('stops after maxRetries and emits the last error', async () => {
    const clock = createVirtualClock();
    let attempts = 0;
    let failure: unknown;
    withCallPolicy<string>(
      async () => {
        attempts++;
        throw serverError();
      },
      policy({ maxRetries: 2 }),
      clock.scheduler,
    ).subscribe({ error: (error: unknown) => (failure = error) });
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 5; j++) await Promise.resolve();
      clock.advanceBy(1000);
    }
    expect(attempts).toBe(3);
    expect(ServerError.isInstance(failure)).toBe(true);
  });

  it('does not retry once something was emitted', async () => {
    const clock = createVirtualClock();
    let attempts = 0;
    let failure: unknown;
    const values: string[] = [];
    withCallPolicy<string>(
      async (_signal, emit) => {
        attempts++;
        emit('partial');
        throw new NetworkError({ provider: 'openai', message: 'dropped' });
      },
      policy(),
      clock.scheduler,
    ).subscribe({ next: (value) => values.push(value), error: (error: unknown) => (failure = error) });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    clock.flush();
    expect(attempts).toBe(1);
    expect(values).toEqual(['partial']);
    expect(NetworkError.isInstance(failure)).toBe(true);
  });

  it('times out silence before the first value and between values, aborting the attempt', async () => {
    const clock = createVirtualClock();
    const aborted: number[] = [];
    let failure: unknown;
    let failedAt = -1;
    withCallPolicy<string>(
      (signal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => aborted.push(clock.now()));
        }),
      policy({ maxRetries: 0, timeoutMs: 500 }),
      clock.scheduler,
    ).subscribe({
      error: (error: unknown) => {
        failure = error;
        failedAt = clock.now();
      },
    });
    clock.advanceBy(499);
    expect(failure).toBeUndefined();
    clock.advanceBy(1);
    expect(TimeoutError.isInstance(failure)).toBe(true);
    expect(failedAt).toBe(500);
    expect(aborted).toEqual([500]);
  });

  it('aborts the running attempt on unsubscribe and drops its late failure', async () => {
    const clock = createVirtualClock();
    let signalSeen: AbortSignal | undefined;
    let reject: (error: unknown) => void = () => undefined;
    let notified = false;
    const subscription = withCallPolicy<string>(
      (signal) =>
        new Promise<void>((_resolve, rejectAttempt) => {
          signalSeen = signal;
          reject = rejectAttempt;
        }),
      policy(),
      clock.scheduler,
    ).subscribe({ error: () => (notified = true), complete: () => (notified = true) });
    subscription.unsubscribe();
    expect(signalSeen?.aborted).toBe(true);
    reject(serverError());
    await Promise.resolve();
    clock.flush();
    expect(notified).toBe(false);
  });
});
