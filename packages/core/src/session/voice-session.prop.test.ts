import fc from 'fast-check';
import { map, type Observable, Subject, tap, throwError, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../audio/audio-frame';
import { createVirtualClock } from '../clock/virtual-clock';
import type { AudioController, AudioSegment, PlaybackEvent } from '../controller/audio-controller';
import { constantSamples, fakeTtsEvents, pendingActions } from '../controller/fake-tts.test-support';
import { SimAudioController } from '../controller/sim-audio-controller';
import type { BargeInPolicyOptions } from '../interrupt/barge-in-options';
import { DEFAULT_BACKCHANNEL_WORDS } from '../interrupt/barge-in-words';
import type { SttEvent } from '../provider/stt-model';
import type { UserSpeechActivityEvent } from './detect-user-speech';
import { SESSION_STATUSES } from './session-status';
import { SESSION_TRANSITIONS } from './session-transitions';
import { VoiceSession } from './voice-session';

const RATE = 8000;
const FRAME_MS = 20;

type Action =
  | { type: 'advance'; ms: number }
  | { type: 'speech-start' }
  | { type: 'speech-pause' }
  | { type: 'speech-resume' }
  | { type: 'speech-end' }
  | { type: 'transcript'; text: string; final: boolean }
  | { type: 'say'; words: number }
  | { type: 'turn'; ms: number; text: string }
  | { type: 'stale-reply' }
  | { type: 'interrupt' };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 700 }) }),
    weight: 6,
  },
  { arbitrary: fc.constant({ type: 'speech-start' as const }), weight: 3 },
  { arbitrary: fc.constant({ type: 'speech-pause' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'speech-resume' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'speech-end' as const }), weight: 3 },
  {
    arbitrary: fc.record({
      type: fc.constant('transcript' as const),
      text: fc.constantFrom('', 'yeah', 'uh', 'uh-huh', 'wait', 'stop that', 'what about friday'),
      final: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ type: fc.constant('say' as const), words: fc.integer({ min: 1, max: 12 }) }),
    weight: 2,
  },
  {
    // a whole user turn: speech for `ms`, then its final transcript
    arbitrary: fc.record({
      type: fc.constant('turn' as const),
      ms: fc.integer({ min: 100, max: 1200 }),
      text: fc.constantFrom('yeah', 'what about friday', 'stop that', ''),
    }),
    weight: 3,
  },
  { arbitrary: fc.constant({ type: 'stale-reply' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'interrupt' as const }), weight: 1 },
);

/** How `respond` answers: after a delay, as text or a TTS stream, or by failing. */
const replyArbitrary = fc.record({
  delayMs: fc.constantFrom(0, 40, 250, 900, 2500),
  kind: fc.constantFrom('text' as const, 'tts' as const, 'fail' as const),
  firstChunkDelayMs: fc.constantFrom(0, 60, 400),
});

const optionsArbitrary: fc.Arbitrary<BargeInPolicyOptions> = fc.record({
  minSpeechDurationMs: fc.constantFrom(0, 200, 500, 900),
  minWords: fc.constantFrom(0, 1, 2),
  falseInterruptionTimeoutMs: fc.constantFrom(300, 2000),
  echoWarmupMs: fc.constantFrom(0, 300),
  backchannelWords: fc.constantFrom([], DEFAULT_BACKCHANNEL_WORDS),
});

/** Records every segment's playback events on their way from the controller to the session. */
function recording(controller: AudioController, log: Map<string, PlaybackEvent[]>): AudioController {
  return {
    get format() {
      return controller.format;
    },
    get frameDurationMs() {
      return controller.frameDurationMs;
    },
    get output() {
      return controller.output;
    },
    get state() {
      return controller.state;
    },
    play: (segment: AudioSegment) =>
      controller.play(segment).pipe(
        tap((event) => {
          const events = log.get(event.segmentId) ?? [];
          events.push(event);
          log.set(event.segmentId, events);
        }),
      ),
    duck: (gainDb, options) => controller.duck(gainDb, options),
    crossfade: (to, ms, options) => controller.crossfade(to, ms, options),
    pause: () => controller.pause(),
    resume: () => controller.resume(),
    stopAt: (target) => controller.stopAt(target),
    stopNow: () => controller.stopNow(),
    dispose: () => controller.dispose(),
  };
}

function words(count: number, prefix: string): string {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`).join(' ');
}

describe('VoiceSession model-based test', () => {
  // 300 runs × up to 80 random actions (advances of 1–700 ms), random barge-in options and reply timings.
  it('holds the session invariants after every step', () => {
    const seen = {
      bargeIns: 0,
      confirmed: 0,
      resumed: 0,
      beforeFirstAudio: 0,
      stale: 0,
      speaking: 0,
      commits: 0,
    };
    fc.assert(
      fc.property(
        fc.array(actionArbitrary, { minLength: 1, maxLength: 80 }),
        fc.array(replyArbitrary, { minLength: 1, maxLength: 8 }),
        optionsArbitrary,
        (actions, replies, bargeIn) => {
          const clock = createVirtualClock();
          const scheduler = clock.scheduler;
          const sim = new SimAudioController({ sampleRate: RATE, scheduler, frameDurationMs: FRAME_MS });
          const log = new Map<string, PlaybackEvent[]>();
          const controller = recording(sim, log);
          const speech = new Subject<UserSpeechActivityEvent>();
          const transcripts = new Subject<SttEvent>();
          const versionOf = new Map<string, number>(); // reply id → the context version it was made for
          const tts = { active: 0, total: 0 };
          const errors: unknown[] = [];
          let replyIndex = 0;
          let sayIndex = 0;
          const respond = ({ contextVersion }: { contextVersion: number }): Observable<AudioSegment> => {
            const plan = replies[replyIndex++ % replies.length]!;
            const id = `answer-${replyIndex}`;
            if (plan.kind === 'fail') return throwError(() => new Error('llm down'));
            return timer(plan.delayMs, scheduler).pipe(
              map((): AudioSegment => {
                versionOf.set(id, contextVersion);
                if (plan.kind === 'text')
                  return { kind: 'text', id, speaker: 'agent', text: words(6, 'answer') };
                return {
                  kind: 'tts',
                  id,
                  speaker: 'agent',
                  text: 'An answer. In two sentences.',
                  events: fakeTtsEvents({
                    samples: constantSamples(RATE, 1000),
                    sampleRate: RATE,
                    scheduler,
                    firstChunkDelayMs: plan.firstChunkDelayMs,
                    pacing: 'realtime',
                    counter: tts,
                  }),
                };
              }),
            );
          };
          const session = new VoiceSession({
            controller,
            userSpeech: speech,
            transcripts,
            respond,
            bargeIn,
            scheduler,
          });
          session.on('error', (error) => {
            if (!(error instanceof Error && error.message === 'llm down')) errors.push(error);
          });

          let pauseRequestedAt: number | undefined;
          let framesSincePause = 0;
          const violations: string[] = [];
          session.on('effect', (effect, state) => {
            if (effect.type === 'emit-metrics') {
              seen[effect.metrics.outcome]++;
              if (effect.metrics.beforeFirstAudio) seen.beforeFirstAudio++;
            }
            if (effect.type === 'discard-reply' && effect.reason === 'stale') seen.stale++;
            if (effect.type === 'commit-agent-turn') seen.commits++;
            if (effect.type === 'pause-output') {
              pauseRequestedAt = clock.now();
              framesSincePause = 0;
            }
            if (effect.type === 'resume-output') pauseRequestedAt = undefined;
            if (effect.type === 'play-reply') {
              const version = versionOf.get(effect.replyId);
              if (version !== undefined && version !== state.contextVersion) {
                violations.push(
                  `stale reply ${effect.replyId} (v${version}) played at v${state.contextVersion}`,
                );
              }
            }
          });
          session.on('transition', ({ from, to, event }) => {
            if (to === 'barged-in') seen.bargeIns++;
            if (to === 'speaking') seen.speaking++;
            if (!SESSION_STATUSES.includes(to)) violations.push(`unknown state ${to}`);
            if (!(SESSION_TRANSITIONS[from][event] ?? []).includes(to)) {
              violations.push(`${from} → ${to} on ${event} is not in the table`);
            }
            if (to === 'speaking') {
              const reply = session.state.reply;
              const version = reply?.id === undefined ? undefined : versionOf.get(reply.id);
              if (version !== undefined && version !== session.state.contextVersion) {
                violations.push(`speaking a stale reply ${reply?.id}`);
              }
            }
          });
          sim.output.subscribe((frame: AudioFrame) => {
            const status = session.state.status;
            if (status === 'barged-in' && pauseRequestedAt !== undefined) {
              // only the frame carrying the 10 ms pause fade may follow the pause, and only its first 10 ms sound
              framesSincePause++;
              const fadeSamples = (10 * RATE) / 1000;
              let lastAudible = frame.samples.length - 1;
              while (lastAudible >= 0 && frame.samples[lastAudible] === 0) lastAudible--;
              if (framesSincePause > 1 || lastAudible >= fadeSamples) {
                violations.push(`frame at ${frame.timestamp} while barged-in since ${pauseRequestedAt}`);
              }
            }
            const primary = sim.state.primarySegmentId;
            const version = primary === undefined ? undefined : versionOf.get(primary);
            if (
              version !== undefined &&
              version !== session.state.contextVersion &&
              status !== 'terminated'
            ) {
              const audible = frame.samples.some((sample) => sample !== 0);
              // the ≤ 10 ms fade of a cut may still go out in the frame after an interrupt
              if (audible && pauseRequestedAt === undefined && status === 'speaking') {
                violations.push(`stale reply ${primary} audible at ${frame.timestamp}`);
              }
            }
          });

          const checkState = (): void => {
            const state = session.state;
            expect(SESSION_STATUSES).toContain(state.status);
            if (state.status === 'speaking') {
              // the state never says speaking while nothing plays
              const id = state.reply?.id;
              expect(sim.state.segments.some((segment) => segment.segmentId === id)).toBe(true);
            }
            expect(violations).toEqual([]);
            expect(errors).toEqual([]);
          };

          let userSpeaking = false;
          let voiced = false;
          session.start();
          for (const action of actions) {
            const now = clock.now();
            switch (action.type) {
              case 'advance':
                clock.advanceBy(action.ms);
                break;
              case 'speech-start':
                if (userSpeaking) break;
                userSpeaking = true;
                voiced = true;
                speech.next({ type: 'user-speech-start', at: now, onsetAt: Math.max(0, now - 20) });
                break;
              case 'speech-pause':
                if (!userSpeaking || !voiced) break;
                voiced = false;
                speech.next({ type: 'user-speech-pause', at: now });
                break;
              case 'speech-resume':
                if (!userSpeaking || voiced) break;
                voiced = true;
                speech.next({ type: 'user-speech-resume', at: now });
                break;
              case 'speech-end':
                if (!userSpeaking) break;
                userSpeaking = false;
                voiced = false;
                speech.next({ type: 'user-speech-end', at: now });
                break;
              case 'transcript':
                transcripts.next({
                  type: action.final ? 'transcript-final' : 'transcript-partial',
                  at: now,
                  text: action.text,
                });
                break;
              case 'say': {
                sayIndex++;
                const id = `say-${sayIndex}`;
                versionOf.set(id, session.state.contextVersion);
                session.say({ kind: 'text', id, speaker: 'agent', text: words(action.words, 'word') });
                break;
              }
              case 'turn':
                if (userSpeaking) break;
                speech.next({ type: 'user-speech-start', at: now, onsetAt: Math.max(0, now - 20) });
                clock.advanceBy(action.ms);
                speech.next({ type: 'user-speech-end', at: clock.now() });
                transcripts.next({ type: 'transcript-final', at: clock.now(), text: action.text });
                break;
              case 'stale-reply': {
                // a producer that ignored its cancellation delivers a reply for an older context
                const version = session.state.contextVersion - 1;
                if (version < 0) break;
                sayIndex++;
                versionOf.set(`late-${sayIndex}`, version);
                session.dispatch({
                  type: 'reply-ready',
                  at: now,
                  replyId: `late-${sayIndex}`,
                  contextVersion: version,
                });
                break;
              }
              case 'interrupt':
                session.interrupt();
                break;
            }
            checkState();
          }
          clock.advanceBy(3000);
          checkState();
          session.stop();
          clock.flush();
          sim.dispose();
          clock.flush();

          // every played segment ends exactly once, in end or cancel, after its start (if any)
          for (const [id, events] of log) {
            const terminal = events.filter((event) => event.type === 'end' || event.type === 'cancel');
            expect(terminal, `segment ${id}`).toHaveLength(1);
            expect(events.at(-1)).toBe(terminal[0]);
            expect(events.filter((event) => event.type === 'start').length).toBeLessThanOrEqual(1);
          }
          // nothing left behind: no subscription, no TTS stream, no timer
          expect(session.activeResources).toBe(0);
          expect(tts.active).toBe(0);
          expect(pendingActions(scheduler)).toBe(0);
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    // the runs reach every situation the invariants are about
    console.info('model test coverage', seen);
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(10);
  }, 120_000);
});
