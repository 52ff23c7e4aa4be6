import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/index';
import type { VadModel } from '../../provider/vad-model';
import type { AudioFrame } from '../audio-frame';
import { SpeechDetector } from './speech-detector';
import type { VadEvent } from './vad-event';

/** A model that returns the score written in each frame's first sample, in percent. */
function scriptedModel(): VadModel & { resets: number } {
  return {
    specificationVersion: 'v1',
    name: 'scripted',
    sampleRate: 16000,
    resets: 0,
    score: (frame) => (frame.samples[0] ?? 0) / 100,
    reset() {
      this.resets++;
    },
  };
}

/** 20 ms frames at 16 kHz from scores in percent, starting at `startMs`. */
function framesFromScores(scoresPercent: readonly number[], startMs = 0): AudioFrame[] {
  return scoresPercent.map((score, index) => {
    const samples = new Int16Array(320);
    samples[0] = score;
    return { samples, sampleRate: 16000, channels: 1, timestamp: startMs + index * 20 };
  });
}

function run(detector: SpeechDetector, scoresPercent: readonly number[], flush = true): VadEvent[] {
  const events: VadEvent[] = [];
  for (const frame of framesFromScores(scoresPercent)) events.push(...detector.process(frame));
  if (flush) events.push(...detector.flush());
  return events;
}

describe('SpeechDetector', () => {
  it('emits speech-start at the true onset once minSpeechMs is confirmed, and speech-end where silence began', () => {
    const detector = new SpeechDetector(scriptedModel(), { minSpeechMs: 60, minSilenceMs: 100 });
    //               0   20  40  60  80 100 120 140 160 180 200 220 240
    const scores = [10, 10, 90, 40, 90, 90, 10, 10, 10, 10, 10, 10, 10];
    expect(run(detector, scores)).toEqual([
      { type: 'speech-start', at: 40, confirmedAt: 100, score: 0.9 },
      { type: 'speech-end', at: 120, confirmedAt: 220, startedAt: 40, speechDurationMs: 80 },
    ]);
  });

  it('drops blips shorter than minSpeechMs', () => {
    const detector = new SpeechDetector(scriptedModel(), { minSpeechMs: 100 });
    expect(run(detector, [0, 90, 90, 90, 20, 0, 90, 0])).toEqual([]);
    expect(detector.speaking).toBe(false);
  });

  it('keeps a segment open through pauses shorter than minSilenceMs', () => {
    const detector = new SpeechDetector(scriptedModel(), { minSpeechMs: 0, minSilenceMs: 100 });
    const events = run(detector, [90, 90, 0, 0, 0, 0, 90, 90, 0, 0, 0, 0, 0]);
    expect(events.map((event) => [event.type, event.at])).toEqual([
      ['speech-start', 0],
      ['speech-end', 160],
    ]);
  });

  it('applies hysteresis: between the thresholds speech continues, silence continues', () => {
    const detector = new SpeechDetector(scriptedModel(), {
      startThreshold: 0.6,
      stopThreshold: 0.3,
      minSpeechMs: 0,
      minSilenceMs: 60,
    });
    // 40–50 % keeps speech alive; once below 30 %, 40–50 % does not resume it.
    const events = run(detector, [70, 50, 40, 50, 20, 50, 40, 40, 40]);
    expect(events.map((event) => [event.type, event.at, event.confirmedAt])).toEqual([
      ['speech-start', 0, 20],
      ['speech-end', 80, 140],
    ]);
  });

  it('resumes paused speech on a frame at the start threshold', () => {
    const detector = new SpeechDetector(scriptedModel(), { minSpeechMs: 0, minSilenceMs: 60 });
    const events = run(detector, [90, 0, 0, 90, 0, 0, 0]);
    expect(events.map((event) => [event.type, event.at])).toEqual([
      ['speech-start', 0],
      ['speech-end', 80],
    ]);
  });

  it('with zero minimum durations reacts on the first frame', () => {
    const detector = new SpeechDetector(scriptedModel(), { minSpeechMs: 0, minSilenceMs: 0 });
    expect(run(detector, [90, 0], false)).toEqual([
      { type: 'speech-start', at: 0, confirmedAt: 20, score: 0.9 },
      { type: 'speech-end', at: 20, confirmedAt: 40, startedAt: 0, speechDurationMs: 20 },
    ]);
  });

  it('flush closes an open segment at the end of the last frame, or where a pending silence began', () => {
    const speaking = new SpeechDetector(scriptedModel(), { minSpeechMs: 0 });
    expect(run(speaking, [0, 90, 90]).at(-1)).toEqual({
      type: 'speech-end',
      at: 60,
      confirmedAt: 60,
      startedAt: 20,
      speechDurationMs: 40,
    });
    const pausing = new SpeechDetector(scriptedModel(), { minSpeechMs: 0, minSilenceMs: 500 });
    expect(run(pausing, [90, 90, 0, 0]).at(-1)).toMatchObject({
      type: 'speech-end',
      at: 40,
      confirmedAt: 80,
    });
    const unconfirmed = new SpeechDetector(scriptedModel(), { minSpeechMs: 500 });
    expect(run(unconfirmed, [90, 90])).toEqual([]);
    expect(unconfirmed.flush()).toEqual([]);
  });

  it('follows the frame timestamps, not the call count', () => {
    const detector = new SpeechDetector(scriptedModel(), { minSpeechMs: 40 });
    const events = [...framesFromScores([90, 90, 90], 10_000)].flatMap((frame) => [
      ...detector.process(frame),
    ]);
    expect(events).toEqual([{ type: 'speech-start', at: 10_000, confirmedAt: 10_040, score: 0.9 }]);
    expect(detector.speaking).toBe(true);
    expect(detector.lastScore).toBe(0.9);
  });

  it('reset returns to silence and resets the model', () => {
    const model = scriptedModel();
    const detector = new SpeechDetector(model, { minSpeechMs: 0 });
    run(detector, [90], false);
    expect(detector.speaking).toBe(true);
    detector.reset();
    expect(detector.speaking).toBe(false);
    expect(detector.flush()).toEqual([]);
    expect(model.resets).toBe(1);
  });

  it('rejects thresholds that do not form a hysteresis band, and negative durations', () => {
    const model = scriptedModel();
    expect(() => new SpeechDetector(model, { startThreshold: 0.4, stopThreshold: 0.4 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new SpeechDetector(model, { startThreshold: 0.3, stopThreshold: 0.5 })).toThrow(
      /stopThreshold/,
    );
    expect(() => new SpeechDetector(model, { startThreshold: 1.5 })).toThrow(/startThreshold/);
    expect(() => new SpeechDetector(model, { minSpeechMs: -1 })).toThrow(/minSpeechMs/);
    expect(() => new SpeechDetector(model, { minSilenceMs: Number.POSITIVE_INFINITY })).toThrow(
      /minSilenceMs/,
    );
    expect(new SpeechDetector(model, { startThreshold: 0.1 })).toBeInstanceOf(SpeechDetector); // stop = 0
  });
});
