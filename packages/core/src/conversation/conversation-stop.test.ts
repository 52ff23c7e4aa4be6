import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { SimAudioController } from '../controller/sim-audio-controller';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { AuctionConversation } from './auction-conversation';
import type { ConversationStopOptions } from './auction-conversation-options';
import { offlineDebaters } from './conversation.test-support';
import type { ConversationEvent, SegmentStartEvent } from './conversation-events';
import { SimulatedTtsModel } from './simulated-tts-model';

/** A debate on a virtual clock, run until `seconds` into it and then stopped with `options`. */
function stopAfter(seed: number, seconds: number, options?: ConversationStopOptions) {
  const clock = createVirtualClock();
  const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
  const conversation = new AuctionConversation({
    agents: offlineDebaters(seed),
    tts: new SimulatedTtsModel({ seed }),
    controller,
    scheduler: clock.scheduler,
    seed,
    maxDurationMs: 600_000,
  });
  const events: ConversationEvent[] = [];
  let audioSamples = 0;
  let eventsCompleted = false;
  let audioCompleted = false;
  conversation.audio$.subscribe({
    next: (frame) => {
      audioSamples += frame.samples.length;
    },
    complete: () => {
      audioCompleted = true;
    },
  });
  conversation.events$.subscribe({
    next: (event) => events.push(event),
    complete: () => {
      eventsCompleted = true;
    },
  });
  // Advance to the first moment after `seconds` at which a turn's sentence is playing.
  clock.advanceTo(seconds * 1000);
  const playing = (): SegmentStartEvent | undefined => {
    const starts = events.filter(
      (event): event is SegmentStartEvent => event.type === 'segment-start' && event.kind === 'turn',
    );
    const last = starts.at(-1);
    const ended = events.some((event) => event.type === 'segment-end' && event.segmentId === last?.segmentId);
    return last !== undefined && !ended && last.actualAt < clock.now() - 100 ? last : undefined;
  };
  while (playing() === undefined) clock.advanceBy(20);
  const segment = playing() as SegmentStartEvent;
  const stoppedAt = clock.now();
  const before = events.length;
  conversation.stop(options);
  clock.flush();
  return {
    events,
    after: events.slice(before),
    segment,
    stoppedAt,
    controller,
    audioSamples,
    eventsCompleted,
    audioCompleted,
  };
}

describe('AuctionConversation.stop', () => {
  it('lets the speaker finish its sentence, says nothing more, then ends with reason stopped', () => {
    const outcomes: string[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const { events, after, segment, stoppedAt, controller, audioSamples, eventsCompleted, audioCompleted } =
        stopAfter(seed, 30 + 7 * seed);
      const end = events.at(-1);
      expect(end?.type === 'end' && end.reason).toBe('stopped');
      // The sentence on the air played to its end; no other turn sentence started afterwards.
      const segmentEnd = after.find(
        (event) => event.type === 'segment-end' && event.segmentId === segment.segmentId,
      );
      expect(segmentEnd?.type === 'segment-end' && segmentEnd.outcome).toBe('end');
      expect(after.filter((event) => event.type === 'segment-start' && event.kind === 'turn')).toHaveLength(
        0,
      );
      expect(after.filter((event) => event.type === 'auction' || event.type === 'turn-start')).toHaveLength(
        0,
      );
      expect(
        after.filter((event) => event.type === 'interjection' && event.outcome === 'played'),
      ).toHaveLength(0);
      // The turn ends (cancelled when it had more to say), then `end` follows when the sentence is out.
      const turnEnd = after.find((event) => event.type === 'turn-end' && event.turnId === segment.turnId);
      if (turnEnd?.type === 'turn-end') outcomes.push(turnEnd.outcome);
      const sentenceEnd = segment.actualAt + (segmentEnd?.type === 'segment-end' ? segmentEnd.playedMs : 0);
      expect(end!.at).toBeGreaterThanOrEqual(sentenceEnd - 20); // its last frame is rendered 20 ms ahead
      expect(end!.at).toBeLessThan(sentenceEnd + 2_000); // an interjection already playing may finish
      expect(end!.at).toBeGreaterThan(stoppedAt);
      expect(eventsCompleted && audioCompleted).toBe(true);
      expect(audioSamples).toBe(Math.round(((end!.at - events[0]!.at) * 16000) / 1000));
      expect(controller.state.segments).toHaveLength(0);
    }
    expect(outcomes).toHaveLength(4);
    expect(outcomes.every((outcome) => outcome === 'completed' || outcome === 'cancelled')).toBe(true);
    expect(outcomes).toContain('cancelled');
  });

  it('stops at the next word beat with at: word', () => {
    const { events, after, segment, stoppedAt } = stopAfter(5, 40, { at: 'word' });
    const end = events.at(-1);
    expect(end?.type === 'end' && end.reason).toBe('stopped');
    const segmentEnd = after.find(
      (event) => event.type === 'segment-end' && event.segmentId === segment.segmentId,
    );
    expect(segmentEnd).toMatchObject({ outcome: 'cancel', reason: 'stop-at-beat' });
    // One word at 2.5 words per second is at most 400 ms away.
    const cutAt = segment.actualAt + (segmentEnd?.type === 'segment-end' ? segmentEnd.playedMs : 0);
    expect(cutAt - stoppedAt).toBeLessThanOrEqual(450);
    expect(after.find((event) => event.type === 'turn-end')).toMatchObject({ outcome: 'cancelled' });
  });

  it('does nothing after the end, and rejects an unknown stop point', () => {
    const { events } = stopAfter(6, 20);
    const count = events.length;
    const clock = createVirtualClock();
    const conversation = new AuctionConversation({
      agents: offlineDebaters(6),
      tts: new SimulatedTtsModel({ seed: 6 }),
      controller: new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler }),
      scheduler: clock.scheduler,
      maxTurns: 2,
    });
    conversation.events$.subscribe();
    clock.flush();
    const ended = conversation.events.length;
    conversation.stop();
    expect(conversation.events).toHaveLength(ended);
    expect(events).toHaveLength(count);
    expect(() => conversation.stop({ at: 'paragraph' as 'word' })).toThrow(InvalidArgumentError);
  });
});
