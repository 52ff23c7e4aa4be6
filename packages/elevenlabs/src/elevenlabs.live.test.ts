import { describe, expect, it } from 'vitest';
import { createElevenLabs } from './elevenlabs-provider';
import { collect, sentenceMarks, wordMarks } from './test-support/test-support';

const apiKey = process.env.ELEVENLABS_API_KEY;
const live = describe.skipIf(!apiKey);
if (!apiKey) {
  console.info(
    '[@argentum/elevenlabs] live tests skipped: set ELEVENLABS_API_KEY to run them against api.elevenlabs.io.',
  );
}

live('ElevenLabs live (api.elevenlabs.io)', () => {
  const elevenlabs = createElevenLabs();
  const text = 'Hello from Argentum. This is a live test.';

  it('stream-input WebSocket: audio and aligned marks for every word', { timeout: 30_000 }, async () => {
    const events = await collect(
      elevenlabs.tts('eleven_flash_v2_5', { outputFormat: 'pcm_16000' }).synthesize({ text }),
    );
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(text.split(' '));
    expect(sentenceMarks(events)).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'end' });
    expect(events.filter((event) => event.type === 'audio').length).toBeGreaterThan(20);
  });

  it('multi-context WebSocket: two contexts on one socket', { timeout: 30_000 }, async () => {
    const tts = elevenlabs.multiContextTts('eleven_flash_v2_5', { socketIdleTimeoutMs: 0 });
    const [first, second] = await Promise.all([
      collect(tts.synthesize({ text: 'First context.' })),
      collect(tts.synthesize({ text: 'Second context.' })),
    ]);
    expect(wordMarks(first).map((mark) => mark.text)).toEqual(['First', 'context.']);
    expect(wordMarks(second).map((mark) => mark.text)).toEqual(['Second', 'context.']);
  });

  it('HTTP with timestamps through the official SDK', { timeout: 30_000 }, async () => {
    const events = await collect(
      elevenlabs.httpTts('eleven_flash_v2_5', { outputFormat: 'pcm_16000' }).synthesize({ text }),
    );
    expect(wordMarks(events).map((mark) => mark.text)).toEqual(text.split(' '));
  });
});
