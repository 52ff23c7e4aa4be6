import { encodeWav, readWav, resample } from '@argentum/core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBargeIn } from './run-barge-in';
import { recordUser, toSessionAudio, type UserRecording } from './user-voice';

const PARAGRAPH = 'Here is the plan for tomorrow. We meet at the station at eight, and take the early train.';

/** The recording as a phone or a DAW would save it: 44.1 kHz, the same signal on both channels. */
async function asStereo44k(recording: UserRecording): Promise<Uint8Array> {
  const source = readWav(recording.wav);
  const frames = await lastValueFrom(from(source.frames(20)).pipe(resample({ to: 44100 }), toArray()));
  const mono = frames.flatMap((frame) => [...frame.samples]);
  const stereo = new Int16Array(mono.length * 2);
  mono.forEach((sample, index) => {
    stereo[2 * index] = sample;
    stereo[2 * index + 1] = sample;
  });
  return encodeWav(stereo, { sampleRate: 44100, channels: 2 });
}

describe('a user recording at another rate or in stereo', () => {
  let user: UserRecording;
  let stereo: Uint8Array;
  beforeAll(async () => {
    user = await recordUser('Sorry, wait a second.', { voice: 'fay', leadInMs: 500 });
    stereo = await asStereo44k(user);
  }, 30_000);

  it('is converted to 16 kHz mono with its length and speech onset kept', async () => {
    const audio = await toSessionAudio(stereo);
    expect(audio).toMatchObject({ originalSampleRate: 44100, originalChannels: 2, converted: true });
    const converted = readWav(audio.wav);
    expect(converted.format).toEqual({ sampleRate: 16000, channels: 1 });
    expect(Math.abs(converted.samples.length - user.samples.length)).toBeLessThanOrEqual(16);
  });

  it('passes a 16 kHz mono file through untouched', async () => {
    const audio = await toSessionAudio(user.wav);
    expect(audio.converted).toBe(false);
    expect(audio.wav).toBe(user.wav);
  });

  it('interrupts the agent like the 16 kHz mono original does', async () => {
    const options = { paragraph: PARAGRAPH, userText: user.text, userStartMs: 1800, realtime: false };
    const original = await runBargeIn({ ...options, userWav: user.wav });
    const fromStereo = await runBargeIn({ ...options, userWav: stereo });
    expect(fromStereo.measured).toHaveLength(1);
    expect(fromStereo.measured[0]!.outcome).toBe(original.measured[0]!.outcome);
    expect(Math.abs(fromStereo.trueOnsetMs - original.trueOnsetMs)).toBeLessThan(2);
    expect(Math.abs(fromStereo.measured[0]!.silentMs - original.measured[0]!.silentMs)).toBeLessThanOrEqual(
      10,
    );
  }, 30_000);
});
