import { describe, expect, test } from 'vitest';
import { estimateWordTimings, spokenWords } from './estimate-word-timings';
import { analyseSpeechActivity, type SpeechActivity } from './speech-activity';

describe('spokenWords', () => {
  test('strips punctuation, skips symbol-only tokens and flags pausing punctuation', () => {
    const words = spokenWords('"Well," she said — (quietly) it\'s 3.5 km: fine!');
    expect(words.map((word) => word.text)).toEqual([
      'Well',
      'she',
      'said',
      'quietly',
      "it's",
      '3.5',
      'km',
      'fine',
    ]);
    expect(words.map((word) => word.pauseAfter)).toEqual([
      true,
      false,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  test('weighs long words above short ones', () => {
    const [short, long] = spokenWords('a extraordinary');
    expect(long!.weight).toBeGreaterThan(3 * short!.weight);
  });
});

describe('estimateWordTimings', () => {
  const activity = (pauses: [number, number][]): SpeechActivity => ({
    durationMs: 3000,
    voicedStartMs: 100,
    voicedEndMs: 2700,
    pauses: pauses.map(([startMs, endMs]) => ({ startMs, endMs })),
  });

  test('puts clause boundaries at the longest pauses, in time order', () => {
    const words = spokenWords('one two, three four; five');
    const timings = estimateWordTimings(
      words,
      activity([
        [700, 900],
        [1100, 1130],
        [1800, 2000],
      ]),
      175,
    );
    expect(timings.map((t) => t.text)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(timings[0]!.startMs).toBe(100);
    expect(timings[1]!.startMs + timings[1]!.durationMs).toBeCloseTo(700, 6);
    expect(timings[2]!.startMs).toBe(900);
    expect(timings[3]!.startMs + timings[3]!.durationMs).toBeCloseTo(1800, 6);
    expect(timings[4]!.startMs).toBe(2000);
    expect(timings[4]!.startMs + timings[4]!.durationMs).toBeCloseTo(2700, 6);
  });

  test('without enough pauses, shares the voiced span by weight and leaves room at punctuation', () => {
    const words = spokenWords('one two, three');
    const timings = estimateWordTimings(words, activity([]), 175);
    expect(timings[0]!.startMs).toBe(100);
    const gapAfterTwo = timings[2]!.startMs - (timings[1]!.startMs + timings[1]!.durationMs);
    const gapAfterOne = timings[1]!.startMs - (timings[0]!.startMs + timings[0]!.durationMs);
    expect(gapAfterOne).toBeCloseTo(0, 6);
    expect(gapAfterTwo).toBeGreaterThan(100);
    expect(timings[2]!.startMs + timings[2]!.durationMs).toBeCloseTo(2700, 6);
  });

  test('ignores short stop-consonant gaps when looking for phrase pauses', () => {
    const words = spokenWords('alpha, beta');
    const timings = estimateWordTimings(
      words,
      activity([
        [400, 430],
        [1200, 1400],
      ]),
      175,
    );
    expect(timings[1]!.startMs).toBe(1400);
  });

  test('returns nothing for a sentence without words', () => {
    expect(estimateWordTimings(spokenWords('— …'), activity([]), 175)).toEqual([]);
  });
});

describe('analyseSpeechActivity', () => {
  test('finds the voiced span and the silent stretches inside it', () => {
    const rate = 22050;
    const samples = new Int16Array(rate); // 1 s
    const tone = (fromMs: number, toMs: number) => {
      for (let i = Math.round((fromMs * rate) / 1000); i < Math.round((toMs * rate) / 1000); i++) {
        samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 200 * i) / rate));
      }
    };
    tone(100, 400);
    tone(600, 800);
    const activity = analyseSpeechActivity(samples, rate);
    expect(activity.durationMs).toBe(1000);
    expect(activity.voicedStartMs).toBeCloseTo(100, -1);
    expect(activity.voicedEndMs).toBeCloseTo(800, -1);
    expect(activity.pauses).toHaveLength(1);
    expect(activity.pauses[0]!.startMs).toBeCloseTo(400, -1);
    expect(activity.pauses[0]!.endMs).toBeCloseTo(600, -1);
  });

  test('treats all-silent audio as one unvoiced span', () => {
    const activity = analyseSpeechActivity(new Int16Array(2205), 22050);
    expect(activity).toEqual({ durationMs: 100, voicedStartMs: 0, voicedEndMs: 100, pauses: [] });
  });
});
