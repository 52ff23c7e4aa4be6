import { createVirtualClock, NetworkError, RateLimitError, ServerError, TimeoutError } from '@argentum/core';
import { describe, expect, it } from 'vitest';
import { type CallPolicy, retryDelayMs, withCallPolicy } from './call-policy';

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
