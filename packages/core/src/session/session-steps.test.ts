import { filter, map, pipe, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKCHANNEL_WORDS } from '../interrupt/barge-in-words';
import type { SessionEvent } from './session-event';
import type { SessionStateOptions } from './session-state';
import { sessionSteps } from './session-steps';

/**
 * Builds a marble diagram from `[time, key]` pairs (ms on the test scheduler's clock, 1 frame = 1 ms
 * in run mode): each key takes one frame, the gaps use time progression (`Nms`).
 */
function marbles(points: readonly (readonly [number, string])[], end = ''): string {
  let now = 0;
  let diagram = '';
  for (const [time, key] of points) {
    if (time < now) throw new Error(`marble points must be in time order (${time} < ${now})`);
    if (time > now) diagram += ` ${time - now}ms `;
    diagram += key;
    now = time + 1;
  }
  return (diagram + end).trim();
}

/** One string per step that changed the status or asked for something (ticks left out): `status: effect, effect`. */
function summarize(options: SessionStateOptions, scheduler: TestScheduler) {
  return pipe(
    sessionSteps({ ...options, scheduler }),
    map((step) => ({
      status: step.state.status,
      changed: step.transition !== undefined,
      effects: step.effects
        .map((effect) => effect.type)
        .filter((type) => type !== 'schedule-tick' && type !== 'cancel-tick'),
    })),
    filter((step) => step.changed || step.effects.length > 0),
    map((step) => `${step.status}: ${step.effects.join(', ')}`.trim()),
  );
}

/** The agent speaks reply `r1` from t = 2 ms (a greeting: start, reply-ready, audio-start). */
const PRELUDE: Record<string, SessionEvent> = {
  a: { type: 'start', at: 0 },
  r: { type: 'reply-ready', at: 1, replyId: 'r1', contextVersion: 0 },
  s: { type: 'audio-start', at: 2, replyId: 'r1' },
};
const PRELUDE_POINTS = [
  [0, 'a'],
  [1, 'r'],
  [2, 's'],
] as const;
const PRELUDE_OUT = [
  [0, 'A'],
  [1, 'R'],
  [2, 'S'],
] as const;
const PRELUDE_VALUES = { A: 'listening:', R: 'thinking: play-reply', S: 'speaking:' };

function runMarbles(
  input: readonly (readonly [number, string])[],
  events: Record<string, SessionEvent>,
  output: readonly (readonly [number, string])[],
  values: Record<string, string>,
  options: SessionStateOptions = {},
  unsubscribeAt?: number,
): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(({ hot, expectObservable }) => {
    const source = hot<SessionEvent>(marbles(input), events);
    const subscription =
      unsubscribeAt === undefined
        ? undefined
        : marbles([
            [0, '^'],
            [unsubscribeAt, '!'],
          ]);
    expectObservable(source.pipe(summarize(options, scheduler)), subscription).toBe(marbles(output), values);
  });
}

describe('sessionSteps: barge-in rules in marbles', () => {
  it('pause: user speech over the agent pauses the output at once (barged-in)', () => {
    runMarbles(
      [...PRELUDE_POINTS, [1000, 'u']],
      { ...PRELUDE, u: { type: 'user-speech-start', at: 1000, onsetAt: 980 } },
      [...PRELUDE_OUT, [1000, 'P']],
      { ...PRELUDE_VALUES, P: 'barged-in: pause-output' },
      {},
      1100,
    );
  });

  it('confirm: 500 ms of voiced speech from the onset cancels the reply (tick at 1480)', () => {
    runMarbles(
      [...PRELUDE_POINTS, [1000, 'u']],
      { ...PRELUDE, u: { type: 'user-speech-start', at: 1000, onsetAt: 980 } },
      [...PRELUDE_OUT, [1000, 'P'], [1480, 'C']],
      {
        ...PRELUDE_VALUES,
        P: 'barged-in: pause-output',
        C: 'listening: cancel-reply, resume-output, emit-metrics',
      },
    );
  });

  it('confirm by words: a transcript with a word confirms before the minimum duration', () => {
    runMarbles(
      [...PRELUDE_POINTS, [1000, 'u'], [1200, 't']],
      {
        ...PRELUDE,
        u: { type: 'user-speech-start', at: 1000, onsetAt: 980 },
        t: { type: 'transcript-partial', at: 1200, text: 'wait' },
      },
      [...PRELUDE_OUT, [1000, 'P'], [1200, 'C']],
      {
        ...PRELUDE_VALUES,
        P: 'barged-in: pause-output',
        C: 'listening: cancel-reply, resume-output, emit-metrics',
      },
    );
  });

  it('false interruption: short speech and no transcript resume 2 s after the user stopped', () => {
    runMarbles(
      [...PRELUDE_POINTS, [1000, 'u'], [1100, 'p'], [1400, 'e']],
      {
        ...PRELUDE,
        u: { type: 'user-speech-start', at: 1000, onsetAt: 980 },
        p: { type: 'user-speech-pause', at: 1100 },
        e: { type: 'user-speech-end', at: 1400 },
      },
      [...PRELUDE_OUT, [1000, 'P'], [3400, 'X']],
      { ...PRELUDE_VALUES, P: 'barged-in: pause-output', X: 'speaking: resume-output, emit-metrics' },
    );
  });

  it('backchannel ignored: "yeah" for 700 ms never confirms; its final transcript resumes at once', () => {
    runMarbles(
      [...PRELUDE_POINTS, [1000, 'u'], [1200, 't'], [1700, 'e'], [1750, 'f']],
      {
        ...PRELUDE,
        u: { type: 'user-speech-start', at: 1000, onsetAt: 980 },
        t: { type: 'transcript-partial', at: 1200, text: 'yeah' },
        e: { type: 'user-speech-end', at: 1700 },
        f: { type: 'transcript-final', at: 1750, text: 'Yeah.' },
      },
      [...PRELUDE_OUT, [1000, 'P'], [1750, 'X']],
      { ...PRELUDE_VALUES, P: 'barged-in: pause-output', X: 'speaking: resume-output, emit-metrics' },
      { bargeIn: { backchannelWords: DEFAULT_BACKCHANNEL_WORDS } },
    );
  });

  it('echo warm-up: speech starting within 300 ms of the agent audio is ignored', () => {
    runMarbles(
      [...PRELUDE_POINTS, [120, 'u'], [400, 'e'], [700, 'v']],
      {
        ...PRELUDE,
        u: { type: 'user-speech-start', at: 120, onsetAt: 100 },
        e: { type: 'user-speech-end', at: 400 },
        v: { type: 'user-speech-start', at: 700, onsetAt: 680 },
      },
      [...PRELUDE_OUT, [700, 'P'], [1180, 'C']],
      {
        ...PRELUDE_VALUES,
        P: 'barged-in: pause-output',
        C: 'listening: cancel-reply, resume-output, emit-metrics',
      },
    );
  });

  it('interruption before the first frame: the queued reply waits, then resumes and starts', () => {
    runMarbles(
      [
        [0, 'a'],
        [1, 'r'],
        [100, 'u'],
        [300, 'e'],
        [2400, 's'],
      ],
      {
        ...PRELUDE,
        u: { type: 'user-speech-start', at: 100, onsetAt: 80 },
        e: { type: 'user-speech-end', at: 300 },
        s: { type: 'audio-start', at: 2400, replyId: 'r1' },
      },
      [
        [0, 'A'],
        [1, 'R'],
        [100, 'P'],
        [2300, 'T'],
        [2400, 'S'],
      ],
      {
        ...PRELUDE_VALUES,
        P: 'barged-in: pause-output',
        T: 'thinking: resume-output, emit-metrics',
      },
    );
  });

  it('interruption before the first frame, confirmed: the reply is cancelled explicitly', () => {
    runMarbles(
      [
        [0, 'a'],
        [1, 'r'],
        [100, 'u'],
      ],
      { ...PRELUDE, u: { type: 'user-speech-start', at: 100, onsetAt: 80 } },
      [
        [0, 'A'],
        [1, 'R'],
        [100, 'P'],
        [580, 'C'],
      ],
      {
        ...PRELUDE_VALUES,
        P: 'barged-in: pause-output',
        C: 'listening: cancel-reply, resume-output, emit-metrics',
      },
    );
  });

  it('errors with an InvalidTransitionError on an event the state does not accept', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<SessionEvent>('ab', { a: { type: 'start', at: 0 }, b: { type: 'start', at: 1 } });
      expectObservable(source.pipe(summarize({}, scheduler)), '^').toBe(
        'A#',
        { A: 'listening:' },
        expect.objectContaining({ code: 'invalid-transition' }),
      );
    });
  });

  it('unsubscribing drops the pending tick: the confirmation due at 1480 never fires', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    let ticks = 0;
    scheduler.run(({ hot, expectObservable }) => {
      const source = hot<SessionEvent>(marbles([...PRELUDE_POINTS, [1000, 'u']]), {
        ...PRELUDE,
        u: { type: 'user-speech-start', at: 1000, onsetAt: 980 },
      });
      const steps = source.pipe(
        sessionSteps({ scheduler }),
        tap((step) => step.event.type === 'tick' && ticks++),
      );
      expectObservable(
        steps.pipe(map((step) => step.state.status)),
        marbles([
          [0, '^'],
          [1200, '!'],
        ]),
      ).toBe(marbles([...PRELUDE_OUT, [1000, 'P']]), {
        A: 'listening',
        R: 'thinking',
        S: 'speaking',
        P: 'barged-in',
      });
    });
    expect(ticks).toBe(0);
    expect(scheduler.actions).toHaveLength(0);
  });
});
