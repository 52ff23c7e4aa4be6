import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AudioFrame, WavWriter } from '@argentum/core';
import type { OpenAIProvider } from '@argentum/openai';
import { concatMap, filter, lastValueFrom, tap, toArray } from 'rxjs';

/** What {@link runVoiceDemo} needs. */
export interface VoiceDemoOptions {
  /** The provider: `createOpenAI()` for the real API, or one pointed at the local test server. */
  openai: OpenAIProvider;
  /** The question to ask. */
  question: string;
  /** Where to write the spoken answer (a WAV file; folders are created). */
  outPath: string;
  /** Model ids and voice. */
  models?: { llm?: string; tts?: string; stt?: string; voice?: string };
  /** Where progress goes; default `process.stdout.write`. */
  write?: (text: string) => void;
}

/** What {@link runVoiceDemo} did. */
export interface VoiceDemoResult {
  /** The answer as streamed by the LLM. */
  answer: string;
  /** Sentence marks of the spoken answer (estimated: OpenAI's speech API gives no timestamps). */
  sentences: { text: string; offsetMs: number }[];
  /** Length of the audio written, ms. */
  durationMs: number;
  /** The transcript of the spoken answer. */
  heard: string;
}

/**
 * Asks an LLM a question (printing the deltas as they stream), speaks the answer into a WAV file
 * frame by frame as the audio arrives, and transcribes those frames back.
 */
export async function runVoiceDemo(options: VoiceDemoOptions): Promise<VoiceDemoResult> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const models = options.models ?? {};
  const llm = options.openai.languageModel(models.llm ?? 'gpt-4o-mini');
  const tts = options.openai.speech(models.tts ?? 'gpt-4o-mini-tts', { voice: models.voice ?? 'coral' });
  const stt = options.openai.transcription(models.stt ?? 'gpt-4o-mini-transcribe', { language: 'en' });

  // 1. Chat: print the deltas as they stream in.
  write(`you: ${options.question}\nassistant: `);
  let answer = '';
  const end = await lastValueFrom(
    llm
      .stream({
        messages: [
          {
            role: 'system',
            content: 'You are a friendly voice assistant. Answer in at most three short sentences.',
          },
          { role: 'user', content: options.question },
        ],
      })
      .pipe(
        tap((event) => {
          if (event.type === 'text-delta') {
            answer += event.text;
            write(event.text);
          }
        }),
        filter((event) => event.type === 'end'),
      ),
  );
  write(
    `\n[${end.finishReason}; ${end.usage?.inputTokens ?? '?'} → ${end.usage?.outputTokens ?? '?'} tokens]\n\n`,
  );

  // 2. Speak: write 20 ms frames to the WAV file as they arrive.
  await mkdir(dirname(options.outPath), { recursive: true });
  const writer = await WavWriter.open(options.outPath, { sampleRate: tts.sampleRate, channels: 1 });
  const frames: AudioFrame[] = [];
  const sentences: VoiceDemoResult['sentences'] = [];
  let durationMs = 0;
  try {
    const events = await lastValueFrom(
      tts.synthesize({ text: answer }).pipe(
        concatMap(async (event) => {
          if (event.type === 'audio') {
            frames.push(event.frame);
            await writer.write(event.frame);
          }
          return event;
        }),
        toArray(),
      ),
    );
    for (const event of events) {
      if (event.type === 'mark' && event.kind === 'sentence') {
        sentences.push({ text: event.text, offsetMs: event.offsetMs });
        write(`  ~${Math.round(event.offsetMs)} ms (estimated): ${event.text}\n`);
      }
      if (event.type === 'end') durationMs = event.durationMs;
    }
  } finally {
    await writer.end();
  }
  write(`wrote ${Math.round(durationMs)} ms of audio to ${options.outPath}\n\n`);

  // 3. Listen back: transcribe what was spoken.
  const heard = await lastValueFrom(
    stt.transcribe({ audio: frames }).pipe(filter((event) => event.type === 'transcript-final')),
  );
  write(`heard back: ${heard.text}\n`);
  return { answer, sentences, durationMs, heard: heard.text };
}
