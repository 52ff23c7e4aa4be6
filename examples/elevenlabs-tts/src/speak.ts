import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeWav, type SampleRate, type TtsMarkEvent } from '@argentum/core';
import { createElevenLabs, type ElevenLabsOutputFormat } from '@argentum/elevenlabs';
import { createElevenLabsTestServer } from '@argentum/elevenlabs/testing';
import { lastValueFrom, tap } from 'rxjs';

/** What to speak and where to write it. */
export interface SpeakOptions {
  /** The text (a string, or an async iterable of pieces, e.g. stdin). */
  text: string | AsyncIterable<string>;
  /** The WAV file to write (its folder is created when missing). */
  outPath: string;
  /** Use the bundled test server instead of api.elevenlabs.io (no key, no network). */
  offline?: boolean;
  /** ElevenLabs voice id. */
  voice?: string;
  /** ElevenLabs model id. */
  modelId?: string;
  /** Wire format asked from ElevenLabs. */
  outputFormat?: ElevenLabsOutputFormat;
  /** Rate of the WAV file (resampled when it differs from the wire rate). */
  sampleRate?: SampleRate;
  /** Called with each word as its mark arrives. */
  onWord?: (mark: TtsMarkEvent) => void;
}

/** What was spoken. */
export interface SpeakResult {
  /** Word marks in order. */
  words: TtsMarkEvent[];
  /** Sentence marks in order. */
  sentences: TtsMarkEvent[];
  /** Audio duration in ms. */
  durationMs: number;
  /** Rate of the WAV file. */
  sampleRate: SampleRate;
}

/** Speaks `text` with ElevenLabs' stream-input WebSocket into a WAV file, collecting word timings. */
export async function speak(options: SpeakOptions): Promise<SpeakResult> {
  const server = options.offline ? await createElevenLabsTestServer() : undefined;
  try {
    const elevenlabs = server
      ? createElevenLabs({
          apiKey: 'offline',
          baseURL: server.httpBaseUrl,
          webSocketBaseURL: server.wsBaseUrl,
        })
      : createElevenLabs(); // reads ELEVENLABS_API_KEY
    const tts = elevenlabs.tts(options.modelId ?? 'eleven_flash_v2_5', {
      voice: options.voice,
      outputFormat: options.outputFormat ?? 'pcm_24000',
    });
    const sampleRate = options.sampleRate ?? tts.sampleRate;
    const chunks: Int16Array[] = [];
    const result: SpeakResult = { words: [], sentences: [], durationMs: 0, sampleRate };
    await lastValueFrom(
      tts.synthesize({ text: options.text, sampleRate }).pipe(
        tap((event) => {
          if (event.type === 'audio') chunks.push(event.frame.samples);
          else if (event.type === 'mark' && event.kind === 'word') {
            result.words.push(event);
            options.onWord?.(event);
          } else if (event.type === 'mark') result.sentences.push(event);
          else result.durationMs = event.durationMs;
        }),
      ),
    );
    const samples = new Int16Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    await mkdir(dirname(options.outPath), { recursive: true });
    await writeFile(options.outPath, encodeWav(samples, { sampleRate, channels: 1 }));
    return result;
  } finally {
    await server?.close();
  }
}
