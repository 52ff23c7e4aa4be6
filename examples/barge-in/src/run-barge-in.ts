import {
  type AudioFrame,
  type BargeInMetrics,
  createVirtualClock,
  frameDurationMs,
  readWav,
  realtimeScheduler,
  type SessionEffect,
  SimAudioController,
  type SttEvent,
  VoiceSession,
} from '@argentum/core';
import { createMespeak } from '@argentum/mespeak';
import { map, merge, Observable, type SchedulerLike, type Subscription, timer } from 'rxjs';
import { SAMPLE_RATE, speechSpan, toSessionAudio } from './user-voice';

/** One line of the printed timeline. */
export interface TimelineEntry {
  /** ms from the start of the run. */
  atMs: number;
  /** What happened. */
  text: string;
}

/** What {@link runBargeIn} takes. */
export interface BargeInRunOptions {
  /** What the agent says first. */
  paragraph: string;
  /** The user's recording: a WAV file (any rate core supports, mono or stereo; converted to 16 kHz mono). */
  userWav: Uint8Array;
  /** What the user says (the scripted STT reports it); empty for no transcript. */
  userText: string;
  /** Where the user's recording starts, ms after the agent starts talking. */
  userStartMs: number;
  /** Run on the wall clock (real time) instead of a virtual clock. */
  realtime: boolean;
  /** The agent's voice. */
  agentVoice?: string;
  /** What the agent answers to the user's turn. */
  answer?: (transcript: string) => string;
}

/** What {@link runBargeIn} returns. */
export interface BargeInRun {
  timeline: TimelineEntry[];
  metrics: BargeInMetrics[];
  /** What the user heard of each agent turn. */
  heard: { text: string; interrupted: boolean }[];
  /** The true speech onset in the user's recording, ms from the start of the run. */
  trueOnsetMs: number;
  /** Each barge-in's timing, ms relative to the true speech onset. */
  measured: {
    outcome: string;
    reason: string;
    vadOnsetMs: number;
    decidedMs: number;
    silentMs: number;
    tailMs: number | undefined;
  }[];
  /** The agent's output (16 kHz mono), from the start of the run. */
  agent: Int16Array;
  /** Agent + user, mixed. */
  mixed: Int16Array;
}

/** A microphone: each frame of `frames` is delivered once captured (its timestamp + duration). */
function microphone(frames: readonly AudioFrame[], scheduler: SchedulerLike): Observable<AudioFrame> {
  return new Observable<AudioFrame>((subscriber) => {
    let index = 0;
    let pending: Subscription | undefined;
    const deliver = (): void => {
      const now = scheduler.now();
      while (index < frames.length && frames[index]!.timestamp + frameDurationMs(frames[index]!) <= now) {
        subscriber.next(frames[index++]!);
      }
      if (index >= frames.length) {
        subscriber.complete();
        return;
      }
      const frame = frames[index]!;
      pending = scheduler.schedule(deliver, frame.timestamp + frameDurationMs(frame) - now);
    };
    deliver();
    return () => pending?.unsubscribe();
  });
}

/**
 * Plays the scenario: the agent speaks `paragraph`; the user's recording comes in through a
 * microphone at `userStartMs`; a scripted STT reports what the user said; the agent answers.
 */
export async function runBargeIn(options: BargeInRunOptions): Promise<BargeInRun> {
  // Any WAV core reads: mixed down to mono and resampled to 16 kHz when it is not already.
  const user = readWav((await toSessionAudio(options.userWav)).wav);
  const span = speechSpan(user.samples, SAMPLE_RATE);
  const clock = options.realtime ? undefined : createVirtualClock();
  const scheduler = clock?.scheduler ?? realtimeScheduler;
  const t0 = scheduler.now();
  const since = (at: number): number => at - t0;
  const userStart = t0 + options.userStartMs;
  const tts = createMespeak().speech(options.agentVoice ?? 'bruno');
  const controller = new SimAudioController({ sampleRate: SAMPLE_RATE, scheduler });

  // A scripted STT (replace it with a real SttModel): a partial half a second into the speech,
  // the final transcript 300 ms after it ends.
  const words = options.userText.split(/\s+/).filter((word) => word.length > 0);
  const transcripts: Observable<SttEvent> =
    words.length === 0
      ? new Observable<SttEvent>()
      : merge(
          timer(userStart + span.onsetMs + 500 - t0, scheduler).pipe(
            map(
              (): SttEvent => ({
                type: 'transcript-partial',
                at: scheduler.now(),
                text: words.slice(0, 2).join(' '),
              }),
            ),
          ),
          timer(userStart + span.endMs + 300 - t0, scheduler).pipe(
            map((): SttEvent => ({ type: 'transcript-final', at: scheduler.now(), text: options.userText })),
          ),
        );

  const answer = options.answer ?? ((transcript: string) => `Of course. You asked: ${transcript}`);
  const session = new VoiceSession({
    controller,
    // 10 ms capture frames, as WebRTC delivers them: the VAD decides 10 ms sooner than with 20 ms frames.
    userAudio: microphone(user.frames(10, userStart), scheduler),
    transcripts,
    respond: ({ transcript }) => ({
      kind: 'tts',
      speaker: 'agent',
      text: answer(transcript),
      events: tts.synthesize({ text: answer(transcript), sampleRate: SAMPLE_RATE }, { scheduler }),
    }),
    scheduler,
  });

  const timeline: TimelineEntry[] = [];
  const metrics: BargeInMetrics[] = [];
  const heard: BargeInRun['heard'] = [];
  const note = (text: string): void => {
    timeline.push({ atMs: since(scheduler.now()), text });
  };
  session.on('transition', ({ from, to, event, reason }) =>
    note(`${from} → ${to}  (${event}${reason === undefined ? '' : `, ${reason}`})`),
  );
  session.on('effect', (effect: SessionEffect) => {
    if (effect.type === 'commit-agent-turn') {
      heard.push({ text: effect.heardText, interrupted: effect.interrupted });
      note(`context keeps what was heard: "${effect.heardText}"${effect.interrupted ? ' (cut)' : ''}`);
    } else if (effect.type === 'start-reply') {
      note(`user turn: "${effect.transcript}"`);
    } else if (
      effect.type === 'pause-output' ||
      effect.type === 'resume-output' ||
      effect.type === 'cancel-reply'
    ) {
      note(effect.type);
    }
  });
  session.on('metrics', (measured) => metrics.push(measured));

  const outputLength = Math.ceil(((options.userStartMs + user.durationMs + 8000) * SAMPLE_RATE) / 1000);
  const agent = new Int16Array(outputLength);
  controller.output.subscribe((frame) => {
    const offset = Math.round((since(frame.timestamp) * SAMPLE_RATE) / 1000);
    if (offset < 0 || offset >= agent.length) return;
    agent.set(frame.samples.subarray(0, agent.length - offset), offset);
  });

  session.start();
  session.say({
    kind: 'tts',
    speaker: 'agent',
    text: options.paragraph,
    events: tts.synthesize({ text: options.paragraph, sampleRate: SAMPLE_RATE }, { scheduler }),
  });
  const endMs = (outputLength * 1000) / SAMPLE_RATE;
  if (clock !== undefined) {
    clock.advanceTo(t0 + endMs);
  } else {
    await new Promise<void>((resolve) => scheduler.schedule(() => resolve(), endMs));
  }
  session.stop();
  controller.dispose();
  clock?.flush();

  const mixed = Int16Array.from(agent);
  const userOffset = Math.round((options.userStartMs * SAMPLE_RATE) / 1000);
  user.samples.forEach((sample, index) => {
    const at = userOffset + index;
    if (at < mixed.length) mixed[at] = Math.max(-32768, Math.min(32767, mixed[at]! + sample));
  });
  const trueOnsetMs = options.userStartMs + span.onsetMs;
  const measured = metrics.map((m) => ({
    outcome: m.outcome,
    reason: m.reason,
    vadOnsetMs: since(m.onsetAt) - trueOnsetMs,
    decidedMs: since(m.detectedAt) - trueOnsetMs,
    silentMs: since(m.pausedAt) - trueOnsetMs,
    tailMs: m.tailMs,
  }));
  return { timeline, metrics, heard, trueOnsetMs, measured, agent, mixed };
}
