import { beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../audio/wav/encode-wav';
import { readWav } from '../audio/wav/read-wav';
import { createVirtualClock } from '../clock/virtual-clock';
import { SimAudioController } from '../controller/sim-audio-controller';
import { generateSpeechLikeSignal } from '../testing/speech-like-signal';
import { microphone } from './microphone.test-support';
import type { CommitAgentTurnEffect } from './session-effect';
import { type BargeInMetrics, VoiceSession } from './voice-session';

const PARAGRAPH =
  'Let me walk you through the plan for tomorrow. First we meet at the station at eight, then we take the ' +
  'early train to the coast. After lunch there is a guided walk along the cliffs, and in the evening we ' +
  'have dinner at the harbour before the last train home.';
/** Where the user's recording starts on the session clock: after the echo warm-up of the agent's audio. */
const USER_START_MS = 400;
const SEEDS = 40;

interface Run {
  trueOnsetMs: number;
  metrics: BargeInMetrics[];
  committed: CommitAgentTurnEffect[];
  statuses: string[];
  audibleAfterPause: number;
}

/**
 * One barge-in: the agent speaks a paragraph; the user's voice — a speech-like utterance written
 * to a WAV file and read back — comes in through a simulated microphone (each 20 ms frame
 * delivered once captured) with its true onset known from the generator.
 */
function bargeIn(seed: number): Run {
  const signal = generateSpeechLikeSignal({
    seed,
    utteranceCount: 1,
    minUtteranceMs: 900,
    maxUtteranceMs: 2000,
    minGapMs: 500,
    maxGapMs: 1500,
  });
  const wav = readWav(encodeWav(signal.samples, { sampleRate: 16000, channels: 1 }));
  const clock = createVirtualClock();
  const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
  const session = new VoiceSession({
    controller,
    userAudio: microphone(wav.frames(20, USER_START_MS), clock.scheduler),
    scheduler: clock.scheduler,
  });
  const run: Run = {
    trueOnsetMs: USER_START_MS + signal.utterances[0]!.startMs,
    metrics: [],
    committed: [],
    statuses: [],
    audibleAfterPause: 0,
  };
  let pauseRequestedAt: number | undefined;
  session.on('metrics', (metrics) => run.metrics.push(metrics));
  session.on('transition', ({ to }) => run.statuses.push(to));
  session.on('effect', (effect) => {
    if (effect.type === 'commit-agent-turn') run.committed.push(effect);
    if (effect.type === 'pause-output') pauseRequestedAt = clock.now();
  });
  controller.output.subscribe((frame) => {
    // audio more than one frame + the 10 ms fade after the pause request would be a leak
    if (pauseRequestedAt === undefined || session.state.status !== 'listening') return;
    if (frame.timestamp >= pauseRequestedAt + 30 && frame.samples.some((sample) => sample !== 0)) {
      run.audibleAfterPause++;
    }
  });
  session.start();
  session.say({ kind: 'text', speaker: 'agent', text: PARAGRAPH });
  clock.advanceTo(USER_START_MS + signal.durationMs + 3000);
  session.stop();
  controller.dispose();
  return run;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('VoiceSession with a user recording (WAV) interrupting the agent, virtual clock', () => {
  // 40 seeds: utterances of 0.9–2 s after 0.5–1.5 s of background noise at -65 dBFS.
  let runs: Run[] = [];
  beforeAll(() => {
    runs = Array.from({ length: SEEDS }, (_, index) => bargeIn(index + 1));
  });

  it('confirms every interruption and cuts the reply, keeping only what was heard', () => {
    for (const run of runs) {
      expect(run.statuses).toEqual([
        'listening',
        'thinking',
        'speaking',
        'barged-in',
        'listening',
        'terminated',
      ]);
      expect(run.metrics).toHaveLength(1);
      expect(run.metrics[0]).toMatchObject({
        outcome: 'confirmed',
        reason: 'min-speech',
        beforeFirstAudio: false,
      });
      expect(run.committed).toHaveLength(1);
      const heard = run.committed[0]!;
      expect(heard.interrupted).toBe(true);
      expect(heard.heardText.length).toBeGreaterThan(0);
      expect(PARAGRAPH.startsWith(heard.heardText.replace(/\s+$/, ''))).toBe(true);
      expect(run.audibleAfterPause).toBe(0);
    }
  });

  it('pauses within 50 ms (p95) of the true speech onset, within one frame of the VAD decision', () => {
    const latencies = runs.map((run) => run.metrics[0]!.pausedAt - run.trueOnsetMs);
    const afterDecision = runs.map((run) => run.metrics[0]!.pausedAt - run.metrics[0]!.detectedAt);
    const p95 = percentile(latencies, 95);
    console.info(
      `barge-in pause latency from true onset (virtual clock, ${SEEDS} runs): p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    expect(p95).toBeLessThanOrEqual(50);
    expect(Math.min(...latencies)).toBeGreaterThan(0);
    expect(Math.max(...afterDecision)).toBeLessThanOrEqual(20 + 10);
  });

  it('leaves a tail of at most 100 ms after the confirmation', () => {
    const tails = runs.map((run) => run.metrics[0]!.tailMs!);
    console.info(`barge-in tail after confirmation (virtual clock): max ${Math.max(...tails).toFixed(1)} ms`);
    expect(Math.max(...tails)).toBeLessThanOrEqual(100);
    for (const run of runs)
      expect(run.metrics[0]!.resolvedAt - run.metrics[0]!.onsetAt).toBeGreaterThanOrEqual(500);
  });
});
