import { isObservable } from 'rxjs';
import { assertGainDb } from '../audio/gain-envelope';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { AudioSegment, StopTarget } from './audio-controller';

/**
 * Checks a segment handed to `play` and returns it unchanged.
 * @internal
 */
export function validateSegment(segment: AudioSegment): AudioSegment {
  if (typeof segment !== 'object' || segment === null) {
    throw new InvalidArgumentError('segment', `expected a segment object, got ${String(segment)}.`);
  }
  if (segment.kind !== 'text' && segment.kind !== 'tts') {
    throw new InvalidArgumentError(
      'segment.kind',
      `expected 'text' or 'tts', got ${JSON.stringify((segment as { kind?: unknown }).kind)}.`,
    );
  }
  if (typeof segment.speaker !== 'string' || segment.speaker.length === 0) {
    throw new InvalidArgumentError(
      'segment.speaker',
      `expected a non-empty string, got ${JSON.stringify(segment.speaker)}.`,
    );
  }
  if (segment.id !== undefined && (typeof segment.id !== 'string' || segment.id.length === 0)) {
    throw new InvalidArgumentError(
      'segment.id',
      `expected a non-empty string, got ${JSON.stringify(segment.id)}.`,
    );
  }
  if (segment.role !== undefined && segment.role !== 'primary' && segment.role !== 'overlay') {
    throw new InvalidArgumentError(
      'segment.role',
      `expected 'primary' or 'overlay', got ${JSON.stringify(segment.role)}.`,
    );
  }
  if (segment.gainDb !== undefined) assertGainDb('segment.gainDb', segment.gainDb, 0);
  if (segment.startAt !== undefined) assertNumber('segment.startAt', segment.startAt);
  if (segment.kind === 'text') {
    if (typeof segment.text !== 'string') {
      throw new InvalidArgumentError('segment.text', `expected a string, got ${typeof segment.text}.`);
    }
  } else {
    if (!isObservable(segment.events)) {
      throw new InvalidArgumentError(
        'segment.events',
        'expected an Observable of TTS events, e.g. tts.synthesize({ text }).',
      );
    }
    if (segment.text !== undefined && typeof segment.text !== 'string') {
      throw new InvalidArgumentError('segment.text', `expected a string, got ${typeof segment.text}.`);
    }
    if (
      segment.beats !== undefined &&
      segment.beats !== 'marks' &&
      segment.beats !== 'sentences' &&
      segment.beats !== 'auto'
    ) {
      throw new InvalidArgumentError(
        'segment.beats',
        `expected 'marks', 'sentences' or 'auto', got ${JSON.stringify(segment.beats)}.`,
      );
    }
    if ((segment.beats === 'sentences' || segment.beats === 'auto') && segment.text === undefined) {
      throw new InvalidArgumentError(
        'segment.text',
        "sentence beats are estimated from the text: pass the segment's text, or use beats: 'marks'.",
      );
    }
  }
  return segment;
}

/**
 * Checks a `stopAt` target and returns it unchanged.
 * @internal
 */
export function validateStopTarget(target: StopTarget): StopTarget {
  if (target === 'next-word' || target === 'next-sentence') return target;
  if (typeof target !== 'object' || target === null || typeof target.segmentId !== 'string') {
    throw new InvalidArgumentError(
      'target',
      `expected 'next-word', 'next-sentence' or { segmentId, beatIndex }, got ${JSON.stringify(target)}.`,
    );
  }
  assertNumber('target.beatIndex', target.beatIndex, { min: 0, integer: true });
  return target;
}
