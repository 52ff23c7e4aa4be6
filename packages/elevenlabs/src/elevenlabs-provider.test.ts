import { InvalidArgumentError, UnsupportedSampleRateError } from '@argentum/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElevenLabs, elevenlabs } from './elevenlabs-provider';
import { collect } from './test-support/test-support';
import { createElevenLabsTestServer } from './testing/elevenlabs-test-server';

afterEach(() => vi.unstubAllEnvs());

describe('createElevenLabs', () => {
  it('reads ELEVENLABS_API_KEY at call time, not at creation', async () => {
    const server = await createElevenLabsTestServer({ apiKey: 'late-key' });
    try {
      const provider = createElevenLabs({ baseURL: server.httpBaseUrl });
      vi.stubEnv('ELEVENLABS_API_KEY', 'late-key');
      const events = await collect(provider('eleven_flash_v2_5').synthesize({ text: 'Key.' }));
      expect(events.at(-1)?.type).toBe('end');
      // The WebSocket base URL was derived from baseURL (http → ws).
      expect(server.connections[0]?.apiKeyHeader).toBe('late-key');
    } finally {
      await server.close();
    }
  });

  it('passes extra headers and per-call headers on the upgrade', async () => {
    const server = await createElevenLabsTestServer();
    try {
      const provider = createElevenLabs({
        apiKey: 'k',
        baseURL: `${server.httpBaseUrl}/`,
        headers: { 'x-app': 'demo' },
        WebSocket: (await import('ws')).WebSocket,
      });
      await collect(provider.tts().synthesize({ text: 'H.' }, { headers: { 'x-call': '1' } }));
      expect(server.connections[0]?.headers).toMatchObject({
        'xi-api-key': 'k',
        'x-app': 'demo',
        'x-call': '1',
      });
      await collect(provider.httpTts().synthesize({ text: 'H.' }, { headers: { 'x-call': '2' } }));
      expect(server.requests[0]?.headers).toMatchObject({
        'xi-api-key': 'k',
        'x-app': 'demo',
        'x-call': '2',
      });
    } finally {
      await server.close();
    }
  });

  it('creates models with their capabilities and rejects invalid options', () => {
    const provider = createElevenLabs({ apiKey: 'k' });
    expect(provider.tts().capabilities).toMatchObject({ streamingInput: true, alignedMarks: true });
    expect(provider.multiContextTts().capabilities.multiContextCancel).toBe(true);
    expect(provider.httpTts().capabilities.streamingInput).toBe(false);
    expect(provider.tts(undefined, { outputFormat: 'ulaw_8000' }).sampleRate).toBe(8000);
    const invalid: [string, () => unknown][] = [
      ['outputFormat', () => provider.tts(undefined, { outputFormat: 'mp3_44100_128' as never })],
      ['inactivityTimeoutSeconds', () => provider.tts(undefined, { inactivityTimeoutSeconds: 500 })],
      ['keepAliveIntervalMs', () => provider.tts(undefined, { keepAliveIntervalMs: 20_000 })],
      ['chunkLengthSchedule', () => provider.tts(undefined, { chunkLengthSchedule: [10] })],
      ['voiceSettings.speed', () => provider.tts(undefined, { voiceSettings: { speed: 3 } })],
      ['maxConcurrentContexts', () => provider.multiContextTts(undefined, { maxConcurrentContexts: 6 })],
      ['socketIdleTimeoutMs', () => provider.multiContextTts(undefined, { socketIdleTimeoutMs: 30_000 })],
      ['maxRetries', () => provider.httpTts(undefined, { maxRetries: -1 })],
    ];
    for (const [argument, make] of invalid) {
      const error = (() => {
        try {
          make();
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(InvalidArgumentError.isInstance(error), argument).toBe(true);
      expect(error).toMatchObject({ argument });
    }
    expect(() => provider.tts().synthesize({ text: 'x', sampleRate: 11025 as never })).toThrow(
      UnsupportedSampleRateError,
    );
  });

  it('offers a lazily created default instance', () => {
    expect(elevenlabs.tts().provider).toBe('elevenlabs');
    expect(elevenlabs('eleven_turbo_v2_5').modelId).toBe('eleven_turbo_v2_5');
  });
});
