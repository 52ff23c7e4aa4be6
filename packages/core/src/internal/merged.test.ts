import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { type Reply, replyMetrics } from '../voice-agent/agent-reply';
import { merged } from './merged';

// V8's own test of whether two objects have one hidden class (map).
setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('first', 'second', 'return %HaveSameMap(first, second)') as (
  first: object,
  second: object,
) => boolean;

describe('merged', () => {
  it('gives objects merged from sources of one shape one hidden class', () => {
    // Many: V8 settles its inline caches over the first calls.
    const made = Array.from({ length: 50 }, (_, index) =>
      merged({ endOfUtteranceDelayMs: index + 0.5, sttFinalLatencyMs: 100 }, { turn: index, agent: 'echo' }),
    );
    expect(made[2]).toEqual({ endOfUtteranceDelayMs: 2.5, sttFinalLatencyMs: 100, turn: 2, agent: 'echo' });
    expect(made.filter((object) => !haveSameMap(object, made[0]!))).toEqual([]);
  });

  it('lets the second source win and copies nothing when the first is undefined', () => {
    expect(merged({ a: 1, b: 2 }, { b: 3 })).toEqual({ a: 1, b: 3 });
    expect(merged(undefined, { b: 3 })).toEqual({ b: 3 });
  });

  it('gives every turn metrics object the same hidden class', () => {
    const reply = (turn: number) =>
      ({
        id: `response-${turn}`,
        turn,
        agent: 'echo',
        askedAt: 10,
        firstDeltaAt: 12.5 + turn,
        firstAudioAt: 20.25 + turn,
        metrics: { endOfUtteranceDelayMs: 400.5 + turn, sttFinalLatencyMs: 100.5, endToEndMs: 700.5 },
      }) as unknown as Reply;
    const made = Array.from({ length: 50 }, (_, turn) => replyMetrics(reply(turn), turn % 2 === 0, 1800.5));
    expect(made[2]).toMatchObject({
      turn: 2,
      responseId: 'response-2',
      interrupted: true,
      llmTimeToFirstTokenMs: 4.5,
    });
    expect(made.filter((metrics) => !haveSameMap(metrics, made[0]!))).toEqual([]);
  });
});
