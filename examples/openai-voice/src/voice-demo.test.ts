import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '@argentum/core';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer } from '@argentum/openai/testing';
import { expect, it } from 'vitest';
import { OFFLINE_SCRIPT } from './offline-script';
import { runVoiceDemo } from './voice-demo';

it('asks, speaks into a WAV file and hears the answer back, offline', async () => {
  const server = await createOpenAITestServer({ script: OFFLINE_SCRIPT });
  const dir = await mkdtemp(join(tmpdir(), 'openai-voice-'));
  try {
    const outPath = join(dir, 'nested', 'answer.wav');
    const printed: string[] = [];
    const result = await runVoiceDemo({
      openai: createOpenAI({ baseURL: server.baseURL, apiKey: 'offline' }),
      question: 'Why take turns?',
      outPath,
      write: (text) => printed.push(text),
    });
    expect(result.answer).toBe(OFFLINE_SCRIPT.chat);
    expect(result.sentences.map((sentence) => sentence.text)).toEqual([
      'Taking turns lets each person finish a thought.',
      'It also keeps the gaps short, about two hundred milliseconds.',
    ]);
    expect(result.heard).toBe(OFFLINE_SCRIPT.chat);
    // The test server speaks 70 ms per input character; the file holds whole 20 ms frames of it.
    const answerLength = String(OFFLINE_SCRIPT.chat).length;
    expect(result.durationMs).toBe(answerLength * 70);
    const wav = readWav(new Uint8Array(await readFile(outPath)));
    expect(wav.format).toEqual({ sampleRate: 24_000, channels: 1 });
    expect(wav.samples.length).toBe(Math.ceil((answerLength * 70) / 20) * 480);
    // The file's audio is what the server sent, with the request's text and the transcript upload.
    expect(server.requests.map((request) => request.endpoint)).toEqual(['chat', 'speech', 'transcription']);
    expect(server.requests[1]?.body?.input).toBe(result.answer);
    expect(printed.join('')).toContain(`heard back: ${OFFLINE_SCRIPT.chat}`);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
