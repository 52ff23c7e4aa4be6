import {
  AuthenticationError,
  BadRequestError,
  NetworkError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@argentum/core';
import { describe, expect, it } from 'vitest';
import {
  errorFromBody,
  errorFromClose,
  errorFromHttpStatus,
  parseRetryAfterMs,
  readErrorBody,
} from './elevenlabs-error';

describe('ElevenLabs error mapping', () => {
  it('reads both error body shapes', () => {
    expect(readErrorBody({ message: 'm', error: 'input_timeout_exceeded', code: 1008 })).toEqual({
      message: 'm',
      error: 'input_timeout_exceeded',
      code: 1008,
    });
    expect(readErrorBody({ detail: { status: 'invalid_api_key', message: 'bad' } })).toEqual({
      message: 'bad',
      error: 'invalid_api_key',
    });
    expect(readErrorBody({ audio: 'AAAA', isFinal: null })).toBeUndefined();
  });

  it('maps bodies by kind', () => {
    expect(TimeoutError.isInstance(errorFromBody({ error: 'input_timeout_exceeded' }))).toBe(true);
    expect(RateLimitError.isInstance(errorFromBody({ error: 'max_active_conversations' }))).toBe(true);
    expect(AuthenticationError.isInstance(errorFromBody({ error: 'invalid_api_key' }))).toBe(true);
    const quota = errorFromBody({ error: 'quota_exceeded' });
    expect(RateLimitError.isInstance(quota) && !quota.retryable).toBe(true);
    expect(BadRequestError.isInstance(errorFromBody({ error: 'whatever', message: 'x' }))).toBe(true);
  });

  it('treats every close other than 1000 as its kind of error', () => {
    expect(NetworkError.isInstance(errorFromClose(1006, ''))).toBe(true);
    expect(ServerError.isInstance(errorFromClose(1011, 'boom'))).toBe(true);
    expect(ProtocolError.isInstance(errorFromClose(1002, ''))).toBe(true);
    expect(BadRequestError.isInstance(errorFromClose(1008, 'policy'))).toBe(true);
    expect(TimeoutError.isInstance(errorFromClose(1008, 'input_timeout_exceeded'))).toBe(true);
    expect(ProtocolError.isInstance(errorFromClose(1000, ''))).toBe(true);
    expect(errorFromClose(1011, '').status).toBe(1011);
  });

  it('maps HTTP statuses and parses retry-after (seconds or date, never the local clock)', () => {
    const headers = new Headers({
      'retry-after': 'Sat, 21 Nov 2026 10:00:05 GMT',
      date: 'Sat, 21 Nov 2026 10:00:00 GMT',
    });
    const limited = errorFromHttpStatus(
      429,
      { detail: { status: 'too_many', message: 'slow down' } },
      headers,
    );
    expect(RateLimitError.isInstance(limited) && limited.retryAfterMs).toBe(5000);
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(AuthenticationError.isInstance(errorFromHttpStatus(401, {}))).toBe(true);
    expect(ServerError.isInstance(errorFromHttpStatus(503, 'down'))).toBe(true);
    expect(BadRequestError.isInstance(errorFromHttpStatus(422, {}))).toBe(true);
    expect(TimeoutError.isInstance(errorFromHttpStatus(408, {}))).toBe(true);
  });
});
