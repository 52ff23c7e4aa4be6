/**
 * Runs a synthesis to completion on a virtual clock and gathers what it emitted.
 * Not part of the published package.
 *
 * @internal
 * @module
 */
import type {
  TtsAudioEvent,
  TtsEndEvent,
  TtsEvent,
  TtsMarkEvent,
  TtsModel,
  TtsRequest,
} from '@argentum/core';
import { collectInVirtualTime } from '@argentum/core/testing';

/** What one synthesis emitted. */
export interface Synthesis {
  readonly events: TtsEvent[];
  readonly marks: TtsMarkEvent[];
  readonly words: TtsMarkEvent[];
  readonly sentences: TtsMarkEvent[];
  readonly frames: TtsAudioEvent[];
  readonly end: TtsEndEvent;
  /** Every frame's samples, concatenated. */
  readonly samples: Int16Array;
  readonly sampleRate: number;
}

/** Synthesizes `request` with `model` under a fresh virtual clock; throws if the stream errors. */
export function synthesizeNow(model: TtsModel, request: TtsRequest): Synthesis {
  const notifications = collectInVirtualTime((scheduler) => model.synthesize(request, { scheduler }));
  const events: TtsEvent[] = [];
  for (const notification of notifications) {
    if (notification.kind === 'error') throw notification.error;
    if (notification.kind === 'next') events.push(notification.value);
  }
  const last = events[events.length - 1];
  if (last?.type !== 'end' || notifications[notifications.length - 1]?.kind !== 'complete') {
    throw new Error('the synthesis did not end with an end event and completion');
  }
  const frames = events.filter((event): event is TtsAudioEvent => event.type === 'audio');
  const marks = events.filter((event): event is TtsMarkEvent => event.type === 'mark');
  const samples = new Int16Array(frames.reduce((sum, event) => sum + event.frame.samples.length, 0));
  let offset = 0;
  for (const { frame } of frames) {
    samples.set(frame.samples, offset);
    offset += frame.samples.length;
  }
  return {
    events,
    marks,
    words: marks.filter((mark) => mark.kind === 'word'),
    sentences: marks.filter((mark) => mark.kind === 'sentence'),
    frames,
    end: last,
    samples,
    sampleRate: frames[0]?.frame.sampleRate ?? model.sampleRate,
  };
}
