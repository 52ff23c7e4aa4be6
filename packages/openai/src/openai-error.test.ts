import {
  AuthenticationError,
  BadRequestError,
  NetworkError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@argentum/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { mapOpenAIError, parseRetryAfterMs } from './openai-error';

const apiError = (
  status: number | undefined,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
) =>
  status === undefined
    ? new APIError(undefined, error, undefined, new Headers(headers))
    : APIError.generate(status, { error }, undefined, new Headers(headers));

describe('parseRetryAfterMs', () => {
  it('reads retry-after-ms first, then retry-after seconds or an HTTP date', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(
      parseRetryAfterMs(
        new Headers({
          'retry-after': 'Wed, 21 Oct 2015 07:28:03 GMT',
          date: 'Wed, 21 Oct 2015 07:28:00 GMT',
        }),
      ),
    ).toBe(3000);
  });

  it('returns undefined when nothing usable is there', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers())).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(
      parseRetryAfterMs(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:03 GMT' })),
    ).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '-1' }))).toBeUndefined();
  });
});

describe('mapOpenAIError', () => {
  it('maps HTTP statuses to typed errors with the status', () => {
    const cases: [number, (error: unknown) => boolean, boolean][] = [
      [401, AuthenticationError.isInstance, false],
      [403, AuthenticationError.isInstance, false],
      [400, BadRequestError.isInstance, false],
      [404, BadRequestError.isInstance, false],
      [422, BadRequestError.isInstance, false],
      [408, TimeoutError.isInstance, true],
      [429, RateLimitError.isInstance, true],
      [500, ServerError.isInstance, true],
      [503, ServerError.isInstance, true],
    ];
    for (const [status, check, retryable] of cases) {
      const mapped = mapOpenAIError(apiError(status, { message: 'nope' }));
      expect(check(mapped), String(status)).toBe(true);
      expect(mapped.status).toBe(status);
      expect(mapped.retryable, String(status)).toBe(retryable);
      expect(mapped.provider).toBe('openai');
      expect(mapped.cause).toBeInstanceOf(APIError);
    }
  });

  it('carries retry-after into RateLimitError and marks an exhausted quota as final', () => {
    const limited = mapOpenAIError(apiError(429, { message: 'slow down' }, { 'retry-after': '3' }));
    expect((limited as RateLimitError).retryAfterMs).toBe(3000);
    const quota = mapOpenAIError(apiError(429, { message: 'quota', code: 'insufficient_quota' }));
    expect(RateLimitError.isInstance(quota)).toBe(true);
    expect(quota.retryable).toBe(false);
    expect(quota.message).toContain('billing');
  });

  it('classifies in-stream error payloads (no status) by type', () => {
    expect(
      ServerError.isInstance(mapOpenAIError(apiError(undefined, { message: 'x', type: 'server_error' }))),
    ).toBe(true);
    expect(
      BadRequestError.isInstance(
        mapOpenAIError(apiError(undefined, { message: 'x', type: 'invalid_request_error' })),
      ),
    ).toBe(true);
    expect(
      RateLimitError.isInstance(
        mapOpenAIError(apiError(undefined, { message: 'x', type: 'rate_limit_exceeded' })),
      ),
    ).toBe(true);
  });

  it('maps connection failures, timeouts, cut bodies and malformed JSON', () => {
    expect(NetworkError.isInstance(mapOpenAIError(new APIConnectionError({ message: 'refused' })))).toBe(
      true,
    );
    expect(TimeoutError.isInstance(mapOpenAIError(new APIConnectionTimeoutError()))).toBe(true);
    const terminated = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(NetworkError.isInstance(mapOpenAIError(terminated))).toBe(true);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(NetworkError.isInstance(mapOpenAIError(reset))).toBe(true);
    expect(ProtocolError.isInstance(mapOpenAIError(new SyntaxError('Unexpected end of JSON input')))).toBe(
      true,
    );
    expect(ProtocolError.isInstance(mapOpenAIError(new Error('weird')))).toBe(true);
  });

  it('passes typed errors through and never leaks the API key', () => {
    const typed = new ServerError({ provider: 'openai', message: 'x' });
    expect(mapOpenAIError(typed)).toBe(typed);
    const mapped = mapOpenAIError(
      apiError(401, { message: 'Incorrect API key provided: sk-proj-abc123***wxyz.' }),
    );
    expect(mapped.message).not.toContain('abc123');
    expect(mapped.message).not.toContain('wxyz');
    expect(mapped.message).toContain('OPENAI_API_KEY');
  });
});
