import { beforeAll, describe, expect, it } from 'vitest';
import { type BargeInRun, runBargeIn } from './run-barge-in';
import { recordUser, type UserRecording } from './user-voice';

const PARAGRAPH =
  'Here is the plan for tomorrow. We meet at the station at eight, and take the early train to the coast. ' +
  'After lunch there is a guided walk along the cliffs.';
const RUNS = 12;

describe('barge-in with real (offline eSpeak) speech as the user, virtual clock', () => {
  let user: UserRecording;
  let runs: BargeInRun[] = [];
  beforeAll(async () => {
    user = await recordUser('Sorry, wait a second. What time is the train?', { voice: 'fay', leadInMs: 500 });
    runs = [];
    // the user starts at 12 different phases against the 20 ms output frames and 10 ms microphone frames
    for (let index = 0; index < RUNS; index++) {
      runs.push(
        await runBargeIn({
          paragraph: PARAGRAPH,
          userWav: user.wav,
          userText: user.text,
          userStartMs: 1800 + index * 13,
          realtime: false,
        }),
      );
    }
  }, 60_000);

  it('pauses the agent within 50 ms (p95) of the true speech onset and cuts with no tail', () => {
    const latencies = runs.map((run) => run.measured[0]!.silentMs).sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(0.95 * latencies.length) - 1]!;
    console.info(
      `real speech, ${RUNS} runs: pause p50 ${latencies[RUNS / 2]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    expect(p95).toBeLessThanOrEqual(50);
    expect(latencies[0]).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.measured).toHaveLength(1);
      expect(run.measured[0]).toMatchObject({ outcome: 'confirmed' });
      expect(run.measured[0]!.tailMs).toBeLessThanOrEqual(100);
    }
  });

  it('keeps only what was heard of the paragraph, then answers the user', () => {
    const paragraphWords = PARAGRAPH.replace(/[.,]/g, '').split(' ');
    for (const run of runs) {
      const [cut, answer] = run.heard;
      expect(cut?.interrupted).toBe(true);
      // Compared word for word; punctuation may or may not be kept in the heard text.
      const heardWords = cut!.text
        .replace(/[.,]/g, '')
        .split(/\s+/)
        .filter((word) => word.length > 0);
      expect(heardWords.length).toBeGreaterThan(3);
      expect(heardWords.length).toBeLessThan(paragraphWords.length);
      expect(heardWords).toEqual(paragraphWords.slice(0, heardWords.length));
      expect(answer).toMatchObject({ interrupted: false });
      expect(answer?.text).toContain('What time is the train');
      expect(run.timeline.map((entry) => entry.text)).toContain(
        'user turn: "Sorry, wait a second. What time is the train?"',
      );
    }
  });

  it('writes a mix that holds both voices', () => {
    const run = runs[0]!;
    const onset = Math.round((run.trueOnsetMs * 16000) / 1000);
    const rms = (samples: Int16Array) =>
      Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length);
    expect(rms(run.agent.subarray(16000, onset))).toBeGreaterThan(300); // the agent talks before the user
    expect(rms(run.agent.subarray(onset + 1600, onset + 8000))).toBe(0); // then pauses for them
    expect(rms(run.mixed.subarray(onset + 1600, onset + 8000))).toBeGreaterThan(300); // the user is in the mix
  });
});
