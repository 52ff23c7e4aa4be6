import { Observable, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { LlmEvent, LlmModel, LlmRequest } from '../provider/llm-model';
import type { CallOptions } from '../provider/specification';
import type { RespondContext } from './agent';
import { LlmAgent } from './llm-agent';

function fakeModel() {
  const calls: { request: LlmRequest; options: CallOptions | undefined; aborted: boolean }[] = [];
  const model: LlmModel = {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'fake',
    capabilities: { streaming: true, tools: false },
    stream(request, options) {
      const call = { request, options, aborted: false };
      calls.push(call);
      const scheduler = options?.scheduler as SchedulerLike;
      return new Observable<LlmEvent>((subscriber) => {
        let done = false;
        subscriber.next({ type: 'text-delta', text: 'Cars ', at: scheduler.now() });
        const timer = scheduler.schedule(() => {
          subscriber.next({ type: 'text-delta', text: 'must go.', at: scheduler.now() });
          subscriber.next({ type: 'end', finishReason: 'stop', at: scheduler.now() });
          done = true;
          subscriber.complete();
        }, 100);
        return () => {
          call.aborted = !done;
          timer.unsubscribe();
        };
      });
    },
  };
  return { model, calls };
}

function respondContext(scheduler: SchedulerLike): RespondContext {
  return {
    topic: 'Cars in cities',
    agentId: 'ada',
    version: 0,
    now: 0,
    scheduler,
    turnCount: 2,
    speakerId: 'bruno',
    transcript: [
      {
        agentId: 'ada',
        name: 'Ada',
        kind: 'turn',
        turnId: 'turn-1',
        text: 'Ban them.',
        interrupted: false,
        at: 0,
      },
      {
        agentId: 'bruno',
        name: 'Bruno',
        kind: 'turn',
        turnId: 'turn-2',
        text: 'Never.',
        interrupted: true,
        at: 5,
      },
      {
        agentId: 'chen',
        name: 'Chen',
        kind: 'interjection',
        turnId: 'turn-2',
        text: 'Why?',
        interrupted: false,
        at: 6,
      },
    ],
    personas: {
      ada: { name: 'Ada', stance: 'for' },
      bruno: { name: 'Bruno', stance: 'against' },
      chen: { name: 'Chen', stance: 'neutral' },
    },
    balance: 4,
    talkShare: 0.5,
    targetShare: 0.33,
    turnId: 'turn-3',
    mode: 'turn',
    maxSentences: 2,
  };
}

describe('LlmAgent', () => {
  it('streams the model text for its turns, with the persona prompt and the transcript as messages', () => {
    const { model, calls } = fakeModel();
    const agent = new LlmAgent({
      id: 'ada',
      persona: { name: 'Ada', stance: 'for', role: 'planner' },
      model,
      seed: 3,
    });
    const clock = createVirtualClock();
    const deltas: string[] = [];
    agent.respond(respondContext(clock.scheduler)).subscribe((delta) => deltas.push(delta));
    clock.flush();
    expect(deltas).toEqual(['Cars ', 'must go.']);
    const { request, options } = calls[0]!;
    expect(options?.scheduler).toBe(clock.scheduler);
    expect(request.seed).toBe(3);
    expect(request.messages[0]).toMatchObject({ role: 'system' });
    expect(request.messages[0]!.content).toContain('You are Ada, planner');
    expect(request.messages[0]!.content).toContain('at most 2');
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: 'Ban them.' },
      { role: 'user', name: 'bruno', content: 'Bruno: Never.' },
      { role: 'user', name: 'chen', content: 'Chen: (interjecting) Why?' },
      { role: 'user', content: 'It is your turn.' },
    ]);
  });

  it('aborts the request when the turn is cancelled', () => {
    const { model, calls } = fakeModel();
    const agent = new LlmAgent({ id: 'ada', persona: { name: 'Ada', stance: 'for' }, model });
    const clock = createVirtualClock();
    const subscription = agent.respond(respondContext(clock.scheduler)).subscribe();
    subscription.unsubscribe();
    expect(calls[0]!.aborted).toBe(true);
  });

  it('bids and reacts without calling the model', () => {
    const { model, calls } = fakeModel();
    const agent = new LlmAgent({ id: 'ada', persona: { name: 'Ada', stance: 'for' }, model });
    const clock = createVirtualClock();
    const bids: number[] = [];
    agent
      .bid({ ...respondContext(clock.scheduler), auctionId: 'auction-1' })
      .subscribe((bid) => bids.push(bid.amount));
    clock.flush();
    expect(bids).toHaveLength(1);
    expect(calls).toHaveLength(0);
  });

  it('rejects a missing model', () => {
    expect(
      () => new LlmAgent({ id: 'ada', persona: { name: 'Ada', stance: 'for' }, model: {} as LlmModel }),
    ).toThrow(InvalidArgumentError);
  });
});
