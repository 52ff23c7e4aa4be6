import { ArgentumError, ProviderError, ServerError } from '@argentum/core';
import { describe, expect, test } from 'vitest';
import { MespeakError } from './mespeak-error';

describe('MespeakError', () => {
  test('is a non-retryable provider error of the mespeak provider', () => {
    const cause = new Error('boom');
    const error = new MespeakError('the engine failed.', { cause });
    expect(error.code).toBe('mespeak-engine');
    expect(error.provider).toBe('mespeak');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('mespeak: the engine failed.');
    expect(error.cause).toBe(cause);
    expect(MespeakError.isInstance(error)).toBe(true);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(ArgentumError.isInstance(error)).toBe(true);
  });

  test('isInstance rejects other errors', () => {
    expect(MespeakError.isInstance(new ServerError({ provider: 'mespeak', message: 'x' }))).toBe(false);
    expect(MespeakError.isInstance(new Error('x'))).toBe(false);
    expect(MespeakError.isInstance(undefined)).toBe(false);
  });
});
