import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '@argentum/core';
import { expect, it } from 'vitest';
import { speak } from './speak';

it('speaks offline to a WAV file with word timings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'elevenlabs-tts-'));
  try {
    const outPath = join(dir, 'out.wav');
    const result = await speak({
      text: 'Hello offline world.',
      outPath,
      offline: true,
      outputFormat: 'pcm_16000',
    });
    expect(result.words.map((word) => word.text)).toEqual(['Hello', 'offline', 'world.']);
    expect(result.words[1]).toMatchObject({ offsetMs: 360, durationMs: 420 });
    const wav = readWav(new Uint8Array(await readFile(outPath)));
    expect(wav.format).toEqual({ sampleRate: 16000, channels: 1 });
    // 21 characters (the text is sent with a trailing space) × 60 ms at 16 kHz.
    expect(wav.samples.length).toBe((21 * 60 * 16000) / 1000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
