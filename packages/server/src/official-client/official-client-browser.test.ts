import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConversationAgent, encodeWav } from '@argentum/core';
import { createMespeak } from '@argentum/mespeak';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer, type OpenAITestServer } from '@argentum/openai/testing';
import { type Browser, chromium } from 'playwright-core';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../server/serve-static';
import { defineAgent } from '../server/server-agent';
import type { ServerEvent } from '../server/server-events';
import { createVoiceAgentServer, type VoiceAgentServer } from '../server/voice-agent-server';

const CHROMIUM = '/usr/bin/chromium';
const STORY =
  'Once upon a time a small robot lived by the sea. Every morning it counted the waves, and every evening it told the gulls how many there had been.';
const STOPPED = 'Okay, I will stop.';

/** The user's microphone: silence, a question, silence, a barge-in over the agent's answer, silence (16 kHz mono). */
async function userSpeechWav(): Promise<Uint8Array> {
  const tts = createMespeak().tts('bruno');
  const speak = async (text: string) => {
    const events = await lastValueFrom(tts.synthesize({ text, sampleRate: 16000 }).pipe(toArray()));
    const frames = events.flatMap((event) => (event.type === 'audio' ? [event.frame.samples] : []));
    const out = new Int16Array(frames.reduce((sum, samples) => sum + samples.length, 0));
    let offset = 0;
    for (const samples of frames) {
      out.set(samples, offset);
      offset += samples.length;
    }
    return out;
  };
  const silence = (ms: number) => new Int16Array(16 * ms);
  const question = await speak('Hello there. Tell me a story.');
  const bargeIn = await speak('Wait, please stop.');
  const parts = [
    silence(1000),
    question,
    silence(Math.max(0, 6000 - 1000 - question.length / 16)),
    bargeIn,
    silence(20_000),
  ];
  const all = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return encodeWav(all, { sampleRate: 16000, channels: 1 });
}

const runBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

describe.skipIf(!runBrowser)(
  'the official @elevenlabs/client in headless Chromium (voice over WebSocket)',
  () => {
    let browser: Browser | undefined;
    let server: VoiceAgentServer;
    let openai: OpenAITestServer;
    let folder: string;
    const events: ServerEvent[] = [];
    let origin = '';

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'argentum-browser-'));
      const wav = join(folder, 'user.wav');
      await writeFile(wav, await userSpeechWav());
      openai = await createOpenAITestServer({
        script: {
          transcription: ['hello there, tell me a story', 'wait, please stop'],
          chat: [STORY, STOPPED],
        },
      });
      const provider = createOpenAI({ apiKey: 'test-key', baseURL: openai.baseURL });
      const clientBundle = join(
        dirname(createRequire(import.meta.url).resolve('@elevenlabs/client')),
        'lib.iife.js',
      );
      server = createVoiceAgentServer({
        agents: {
          storyteller: defineAgent({
            agents: createConversationAgent({ llm: provider.languageModel('gpt-4o-mini') }),
            stt: provider.transcription('gpt-4o-mini-transcribe'),
            tts: createMespeak().tts('ada'),
          }),
        },
        httpHandler: serveStatic({
          '/': join(dirname(fileURLToPath(import.meta.url)), 'browser-page'),
          '/vendor/elevenlabs-client.js': clientBundle,
        }),
      });
      server.events.subscribe((event) => events.push(event));
      const { port } = await server.listen(0, '127.0.0.1');
      origin = `http://127.0.0.1:${port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--autoplay-policy=no-user-gesture-required',
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-audio-capture=${wav}`,
        ],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close({ drainTimeoutMs: 10 });
      await openai?.close();
      if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    });

    it('hears the user, answers with audible speech, and is interrupted by speech over it', async () => {
      const page = await browser!.newPage();
      await page.goto(`${origin}/`);
      const conversationId = await page.evaluate(() =>
        (window as unknown as { startConversation(id: string): Promise<string> }).startConversation(
          'storyteller',
        ),
      );
      expect(conversationId).toMatch(/^conv_/);
      type Record = {
        messages: { source: string; message: string }[];
        audioBytes: number;
        interruptions: unknown[];
        corrections: { original_agent_response: string; corrected_agent_response: string }[];
        errors: string[];
      };
      await page.waitForFunction(
        () => {
          const record = (window as unknown as { record: Record }).record;
          return record.messages.some(
            (message) => message.source === 'ai' && message.message === 'Okay, I will stop.',
          );
        },
        undefined,
        { timeout: 25_000 },
      );
      const record = await page.evaluate(() => (window as unknown as { record: Record }).record);
      await page.evaluate(() =>
        (window as unknown as { conversation: { endSession(): Promise<void> } }).conversation.endSession(),
      );
      expect(record.messages.map((message) => [message.source, message.message])).toEqual([
        ['user', 'hello there, tell me a story'],
        ['ai', STORY],
        ['user', 'wait, please stop'],
        ['ai', STOPPED],
      ]);
      expect(record.interruptions.length).toBeGreaterThanOrEqual(1);
      const correction = record.corrections[0]!;
      expect(correction.original_agent_response).toBe(STORY);
      expect(STORY.startsWith(correction.corrected_agent_response)).toBe(true);
      expect(correction.corrected_agent_response.length).toBeLessThan(STORY.length);
      // Audible audio arrived: at least a second of 16 kHz PCM16 (32 000 bytes per second).
      expect(record.audioBytes).toBeGreaterThan(32_000);
      expect(record.errors).toEqual([]);
      // The server heard the same conversation.
      const turns = events.flatMap((event) =>
        event.type === 'session-event' && event.event.type === 'turn-metrics' ? [event.event.metrics] : [],
      );
      expect(turns[0]).toMatchObject({ interrupted: true });
      expect(turns[0]!.pauseLatencyMs).toBeLessThan(100);
      expect(openai.requests.filter((request) => request.endpoint === 'transcription')).toHaveLength(2);
      await page.close();
    }, 60_000);
  },
);
