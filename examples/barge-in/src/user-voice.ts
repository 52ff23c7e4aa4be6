import { encodeWav, readWav, resample, stereoToMono, type TtsEvent } from '@argentum/core';
import { createMespeak } from '@argentum/mespeak';
import { from, lastValueFrom, map, toArray } from 'rxjs';

/** The user's recording: 16 kHz mono PCM16 with a known speech onset. */
export interface UserRecording {
  /** The samples: low microphone noise, then the speech. */
  samples: Int16Array;
  /** Where the speech really starts, ms from the beginning of the recording. */
  onsetMs: number;
  /** Where the speech ends, ms. */
  endMs: number;
  /** What is said. */
  text: string;
  /** The recording as a WAV file. */
  wav: Uint8Array;
}

export const SAMPLE_RATE = 16000 as const;

/** Level of a sample counted as speech when finding the true onset: -40 dBFS. */
const ONSET_LEVEL = Math.round(32768 * 10 ** (-40 / 20));

/**
 * The first and last sample louder than -40 dBFS, in ms: the true speech onset and end of a clean
 * recording (speech over digital silence).
 */
export function speechSpan(samples: Int16Array, sampleRate: number): { onsetMs: number; endMs: number } {
  let first = -1;
  let last = -1;
  for (let index = 0; index < samples.length; index++) {
    if (Math.abs(samples[index]!) >= ONSET_LEVEL) {
      if (first < 0) first = index;
      last = index;
    }
  }
  if (first < 0) throw new Error('The recording holds no speech louder than -40 dBFS.');
  return { onsetMs: (first * 1000) / sampleRate, endMs: ((last + 1) * 1000) / sampleRate };
}

/**
 * Records the "user": real speech from the offline eSpeak voice `voice`, after `leadInMs` of
 * silence, with quiet microphone noise (-62 dBFS, seeded) over everything.
 */
export async function recordUser(
  text: string,
  options: { voice?: string; leadInMs?: number; seed?: number } = {},
): Promise<UserRecording> {
  const tts = createMespeak().speech(options.voice ?? 'dara');
  const events = await lastValueFrom(tts.synthesize({ text, sampleRate: SAMPLE_RATE }).pipe(toArray()));
  const chunks = events
    .filter((event: TtsEvent) => event.type === 'audio')
    .map((event) => event.frame.samples);
  const leadIn = Math.round(((options.leadInMs ?? 800) * SAMPLE_RATE) / 1000);
  const tail = SAMPLE_RATE / 2;
  const clean = new Int16Array(leadIn + chunks.reduce((sum, chunk) => sum + chunk.length, 0) + tail);
  let offset = leadIn;
  for (const chunk of chunks) {
    clean.set(chunk, offset);
    offset += chunk.length;
  }
  const span = speechSpan(clean, SAMPLE_RATE);
  const samples = addNoise(clean, options.seed ?? 1);
  return { samples, text, ...span, wav: encodeWav(samples, { sampleRate: SAMPLE_RATE, channels: 1 }) };
}

/** Adds white noise at about -62 dBFS RMS (a quiet room through a microphone). */
function addNoise(samples: Int16Array, seed: number): Int16Array {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const amplitude = 32768 * 10 ** (-62 / 20) * Math.sqrt(3);
  return samples.map((sample) => {
    const value = sample + Math.round((random() * 2 - 1) * amplitude);
    return Math.max(-32768, Math.min(32767, value));
  });
}

/** A user recording in the session's format, and the format it came in. */
export interface SessionAudio {
  /** The recording as a 16 kHz mono PCM16 WAV file. */
  wav: Uint8Array;
  /** The sample rate of the file as given, Hz. */
  originalSampleRate: number;
  /** The channel count of the file as given. */
  originalChannels: number;
  /** Whether it had to be mixed down or resampled. */
  converted: boolean;
}

/**
 * Brings any WAV core can read (PCM16 or float32, mono or stereo, 8–48 kHz) to the session's
 * 16 kHz mono: `stereoToMono` on each frame, then the `resample` operator. A 16 kHz mono file is
 * passed through untouched.
 */
export async function toSessionAudio(bytes: Uint8Array): Promise<SessionAudio> {
  const input = readWav(bytes);
  const original = { originalSampleRate: input.format.sampleRate, originalChannels: input.format.channels };
  if (input.format.sampleRate === SAMPLE_RATE && input.format.channels === 1) {
    return { wav: bytes, ...original, converted: false };
  }
  const frames = await lastValueFrom(
    from(input.frames(20)).pipe(
      map((frame) => (frame.channels === 2 ? stereoToMono(frame) : frame)),
      resample({ to: SAMPLE_RATE }),
      toArray(),
    ),
  );
  const samples = new Int16Array(frames.reduce((total, frame) => total + frame.samples.length, 0));
  let offset = 0;
  for (const frame of frames) {
    samples.set(frame.samples, offset);
    offset += frame.samples.length;
  }
  return { wav: encodeWav(samples, { sampleRate: SAMPLE_RATE, channels: 1 }), ...original, converted: true };
}
