import type { Observable } from 'rxjs';
import type { AudioFormat, AudioFrame } from '../audio/audio-frame';
import type { CrossfadeOptions } from '../audio/mixer';
import type { TtsEvent } from '../provider/tts-model';

/**
 * How a segment shares the floor.
 * - `primary`: the floor holder. At most one primary segment is audible at a time (two only inside
 *   a crossfade window); a primary played while another one holds the floor waits its turn (FIFO).
 *   A {@link AudioController.duck | duck} lowers the primary.
 * - `overlay`: plays at once, on top of whatever plays (a backchannel, an interjection, a chime),
 *   at its own `gainDb`; never ducked, never queued. {@link AudioController.crossfade} can promote
 *   an overlay to primary.
 *
 * @example
 * ```ts
 * const role: SegmentRole = 'overlay';
 * ```
 */
export type SegmentRole = 'primary' | 'overlay';

/**
 * Fields every {@link AudioSegment} has, whatever its source.
 *
 * @example
 * ```ts
 * const base: AudioSegmentBase = { id: 'reply-3', speaker: 'ada', role: 'primary', gainDb: -3 };
 * ```
 */
export interface AudioSegmentBase {
  /**
   * The segment's id, echoed as `segmentId` in its events and used by
   * {@link AudioController.crossfade} and {@link AudioController.stopAt}. Two segments with the
   * same id cannot be active at once. Defaults to a deterministic `segment-N` (N counts `play`
   * subscriptions on the controller from 1).
   */
  id?: string;
  /** Who speaks, e.g. an agent name; reported in events and in {@link AudioControllerState}. */
  speaker: string;
  /** How the segment shares the floor; defaults to `primary`. */
  role?: SegmentRole;
  /** The segment's gain in dB (0 = as synthesized, at most 0 dB, `-Infinity` mutes); defaults to 0. */
  gainDb?: number;
  /**
   * The planned start, in scheduler ms. The segment never starts earlier (it starts on the exact
   * sample when audio is ready); beats are planned from it. Defaults to the time the segment could
   * first start: its subscription for an overlay or a free floor, else the end of the primary ahead
   * of it. A planner that wants beats on schedule passes `now + guardBandMs`.
   */
  startAt?: number;
}

/**
 * A segment given as text: the controller turns it into audio and beats — the
 * {@link SimAudioController} with a synthetic voice and beats estimated from the text, the
 * {@link StreamingAudioController} through its `TtsModel`.
 *
 * @example
 * ```ts
 * controller.play({ kind: 'text', speaker: 'ada', voice: 'calm', text: 'One moment.' }).subscribe();
 * ```
 */
export interface TextSegment extends AudioSegmentBase {
  /** Discriminator. */
  kind: 'text';
  /** The words to speak. */
  text: string;
  /** A voice name: picks the voice profile (simulation) or the provider voice (streaming). */
  voice?: string;
}

/**
 * A segment given as a TTS event stream, e.g. `tts.synthesize(request)`. The controller subscribes
 * to `events` when the segment is played and unsubscribes (cancelling the synthesis) when it ends,
 * is cancelled or its subscriber leaves. Audio must be at the controller's sample rate (mono audio
 * is spread to both channels of a stereo controller).
 *
 * @example
 * ```ts
 * controller
 *   .play({ kind: 'tts', speaker: 'ada', text: reply, events: tts.synthesize({ text: reply, sampleRate: 24000 }) })
 *   .subscribe();
 * ```
 */
export interface TtsSegment extends AudioSegmentBase {
  /** Discriminator. */
  kind: 'tts';
  /** The synthesis stream: `audio` chunks, `mark`s and one `end`. */
  events: Observable<TtsEvent>;
  /**
   * The text being spoken. Needed for sentence beats when `beats` is `sentences`, and used as the
   * full text of the `end` event when the stream sends no marks.
   */
  text?: string;
  /**
   * Where beats come from:
   * - `marks` — the stream's `mark` events only;
   * - `sentences` — sentence boundaries estimated from `text` with the voice profile of `voice`
   *   (for providers that send no marks), rescaled to the real duration once the stream's `end`
   *   arrives; the stream's marks are ignored;
   * - `auto` — the stream's marks when it sends any, else the sentence estimate: the estimate is
   *   dropped (its beats not yet played) when the first mark arrives.
   *
   * Defaults to `auto` when `text` is given, else `marks`.
   */
  beats?: 'marks' | 'sentences' | 'auto';
  /** The voice profile name used to estimate sentence beats. */
  voice?: string;
}

/**
 * What {@link AudioController.play} plays: text or a TTS event stream, with an id and a speaker.
 *
 * @example
 * ```ts
 * const segment: AudioSegment = { kind: 'text', speaker: 'ada', text: 'Hello.' };
 * ```
 */
export type AudioSegment = TextSegment | TtsSegment;

/**
 * Fields every {@link PlaybackEvent} carries.
 *
 * @example
 * ```ts
 * const { segmentId, speaker, at }: PlaybackEventBase = event;
 * ```
 */
export interface PlaybackEventBase {
  /** The segment's id. */
  segmentId: string;
  /** The segment's speaker. */
  speaker: string;
  /** When the event was emitted, in scheduler ms. */
  at: number;
}

/**
 * The segment's first sample went out.
 *
 * @example
 * ```ts
 * if (event.type === 'start') console.log('late by', event.actualAt - event.plannedAt, 'ms');
 * ```
 */
export interface PlaybackStartEvent extends PlaybackEventBase {
  /** Discriminator. */
  type: 'start';
  /** The segment's role when it started. */
  role: SegmentRole;
  /** The planned start (see {@link AudioSegmentBase.startAt}), in scheduler ms. */
  plannedAt: number;
  /** When its first sample went out (frame time + offset inside the frame), in scheduler ms. */
  actualAt: number;
}

/**
 * An output frame carried some of the segment's audio.
 *
 * @example
 * ```ts
 * if (event.type === 'chunk') progress = event.offsetMs + event.durationMs;
 * ```
 */
export interface PlaybackChunkEvent extends PlaybackEventBase {
  /** Discriminator. */
  type: 'chunk';
  /** The timestamp of the output frame that carried it, in scheduler ms. */
  frameTimestamp: number;
  /** Where the carried audio starts in the segment's audio, in ms. */
  offsetMs: number;
  /** How much of the segment's audio the frame carried, in ms. */
  durationMs: number;
}

/**
 * A word or sentence boundary of the segment went out.
 *
 * @example
 * ```ts
 * if (event.type === 'beat' && event.missed) console.warn(`${event.text} late by ${event.driftMs} ms`);
 * ```
 */
export interface PlaybackBeatEvent extends PlaybackEventBase {
  /** Discriminator. */
  type: 'beat';
  /** Position among the segment's beats, from 0, in order of their offsets. */
  index: number;
  /** Word or sentence boundary. */
  kind: 'word' | 'sentence';
  /** The word or sentence that starts here. */
  text: string;
  /** Where the word or sentence starts in the segment's audio, in ms. */
  offsetMs: number;
  /** Its length in ms (0 when unknown). */
  durationMs: number;
  /** Whether the time came from the provider's alignment (`true`) or an estimate (`false`). */
  aligned: boolean;
  /**
   * When the beat should have played: the segment's planned start + `offsetMs` + the time the
   * controller spent paused before it, in scheduler ms.
   */
  plannedAt: number;
  /** When its first sample actually went out (frame time + offset inside the frame), in scheduler ms. */
  actualAt: number;
  /** `actualAt − plannedAt`, in ms: positive when late. */
  driftMs: number;
  /** Whether `|driftMs|` exceeds the controller's beat tolerance (250 ms by default). */
  missed: boolean;
}

/**
 * The segment played to its last sample. The stream completes right after.
 *
 * @example
 * ```ts
 * if (event.type === 'end') history.push({ speaker: event.speaker, text: event.heardText });
 * ```
 */
export interface PlaybackEndEvent extends PlaybackEventBase {
  /** Discriminator. */
  type: 'end';
  /** How much of the segment's audio went out, in ms. */
  playedMs: number;
  /** The whole text that was heard (all its words). */
  heardText: string;
}

/**
 * Why a segment was cancelled:
 * - `stop`: {@link AudioController.stopNow};
 * - `stop-at-beat`: {@link AudioController.stopAt} reached its beat;
 * - `crossfade`: the segment was the outgoing side of a {@link AudioController.crossfade}
 *   (emitted when the fade-out ends);
 * - `error`: its TTS stream failed (the play stream errors with that error right after);
 * - `dispose`: the controller was disposed.
 *
 * @example
 * ```ts
 * const reason: CancelReason = 'stop-at-beat';
 * ```
 */
export type CancelReason = 'stop' | 'stop-at-beat' | 'crossfade' | 'error' | 'dispose';

/**
 * The segment stopped before its end. The stream completes right after (or errors, for reason
 * `error`). Emitted also for a segment that never started (then `playedMs` is 0).
 *
 * @example
 * ```ts
 * if (event.type === 'cancel') history.push({ speaker: event.speaker, text: event.heardText });
 * ```
 */
export interface PlaybackCancelEvent extends PlaybackEventBase {
  /** Discriminator. */
  type: 'cancel';
  /** Why. */
  reason: CancelReason;
  /** How much of the segment's audio went out, fades included, in ms. */
  playedMs: number;
  /**
   * The text that was heard: every word (or sentence, for sentence-only beats) whose audio went out
   * to its end before the final fade began — what a conversation should keep in its context.
   */
  heardText: string;
}

/**
 * The events of one played segment, in order: `start`, then `chunk`s and `beat`s as its audio
 * goes out, then exactly one `end` or `cancel` (a `cancel` may come without a `start`).
 *
 * @example
 * ```ts
 * controller.play(segment).subscribe((event) => {
 *   switch (event.type) {
 *     case 'beat':
 *       if (event.missed) console.warn(`beat ${event.index} off by ${event.driftMs} ms`);
 *       break;
 *     case 'cancel':
 *       context.keep(event.heardText);
 *       break;
 *   }
 * });
 * ```
 */
export type PlaybackEvent =
  | PlaybackStartEvent
  | PlaybackChunkEvent
  | PlaybackBeatEvent
  | PlaybackEndEvent
  | PlaybackCancelEvent;

/**
 * The life of a {@link DuckLease}: `pending` (queued behind another lease) → `active` (the primary
 * is ducked) → `released` (by its holder) or `revoked` (by a crossfade, a `stopNow` or disposal).
 * `released` and `revoked` are final.
 *
 * @example
 * ```ts
 * if (lease.status === 'active') lease.release();
 * ```
 */
export type DuckLeaseStatus = 'pending' | 'active' | 'released' | 'revoked';

/**
 * The right to keep the primary speaker ducked, from {@link AudioController.duck}. Only one lease
 * is active at a time; ducks never stack.
 *
 * @example
 * ```ts
 * const lease = controller.duck(-12, { holder: 'interjector-2' });
 * lease.status$.subscribe((status) => console.log(lease.id, status)); // pending? active, released
 * // … the interjection ends
 * lease.release(); // the primary ramps back up within 10 ms
 * ```
 */
export interface DuckLease {
  /** A deterministic id, `lease-N` (N counts `duck` calls on the controller from 1). */
  readonly id: string;
  /** Who asked for it (the `holder` option; defaults to the id). */
  readonly holder: string;
  /** The attenuation applied while active, in dB (≤ 0). */
  readonly gainDb: number;
  /** The current status. */
  readonly status: DuckLeaseStatus;
  /**
   * The status as a stream: emits the current status on subscription, then every change; completes
   * after `released` or `revoked`. Never errors.
   */
  readonly status$: Observable<DuckLeaseStatus>;
  /**
   * Gives the lease back: an active lease unducks the primary with a ramp (≤ 10 ms) — or hands the
   * duck straight to the next pending lease, ramping from one level to the other; a pending lease
   * leaves the queue. Idempotent; a no-op once released or revoked.
   */
  release(): void;
}

/**
 * Options of {@link AudioController.duck}.
 *
 * @example
 * ```ts
 * controller.duck(-12, { holder: 'bob', whenBusy: 'refuse' });
 * ```
 */
export interface DuckOptions {
  /** Who holds the lease, for {@link AudioControllerState} and logs; defaults to the lease id. */
  holder?: string;
  /**
   * What to do when another lease is active: `queue` (the lease is `pending` until the ones ahead
   * are released or revoked) or `refuse` (throw {@link DuckLeaseBusyError}). Defaults to the
   * controller's `duckPolicy` (`queue` unless configured).
   */
  whenBusy?: 'queue' | 'refuse';
}

/**
 * Where {@link AudioController.stopAt} cuts: the start of the next word (or sentence) of the
 * primary segment whose first sample has not gone out yet — as soon as such a beat is known —
 * or a given beat of a given segment.
 *
 * @example
 * ```ts
 * controller.stopAt('next-word');
 * controller.stopAt({ segmentId: 'reply-3', beatIndex: 7 });
 * ```
 */
export type StopTarget =
  | 'next-word'
  | 'next-sentence'
  | {
      /** The segment to stop. */
      segmentId: string;
      /** The index of the beat to stop at (see {@link PlaybackBeatEvent.index}). */
      beatIndex: number;
    };

/**
 * A segment as seen in {@link AudioControllerState}.
 *
 * @example
 * ```ts
 * const playing = controller.state.segments.filter((segment) => segment.status === 'playing');
 * ```
 */
export interface SegmentPlaybackState {
  /** The segment's id. */
  segmentId: string;
  /** Its speaker. */
  speaker: string;
  /** Its current role (an overlay promoted by a crossfade is `primary`). */
  role: SegmentRole;
  /**
   * `waiting` (not started: queued, or waiting for audio or its `startAt`), `playing`,
   * `outgoing` (fading out in a crossfade) or `stopping` (in its final ≤ 10 ms fade, or playing up
   * to a `stopAt` beat).
   */
  status: 'waiting' | 'playing' | 'outgoing' | 'stopping';
  /** How much of its audio has gone out, in ms (the exact resume point while paused). */
  positionMs: number;
  /** Audio received and not yet played, in ms. */
  bufferedMs: number;
  /**
   * The linear gain of its last rendered sample (1 = unity; 0 = silent, and always 0 before it
   * starts and while the controller is paused, once the pause fade has gone out).
   */
  gain: number;
}

/**
 * A synchronous snapshot of an {@link AudioController}, for invariant checks and debugging.
 *
 * @example
 * ```ts
 * const { primarySegmentId, paused, lease } = controller.state;
 * ```
 */
export interface AudioControllerState {
  /** The scheduler time of the snapshot, in ms. */
  at: number;
  /** Whether the controller is paused. */
  paused: boolean;
  /** Every active segment (waiting, playing, outgoing, stopping), in the order they were played. */
  segments: SegmentPlaybackState[];
  /** The id of the primary segment holding the floor, if any (not the outgoing side of a crossfade). */
  primarySegmentId: string | undefined;
  /** The active duck lease, if any. */
  lease:
    | {
        /** The lease id (`lease-N`). */
        id: string;
        /** Who holds it. */
        holder: string;
        /** The attenuation applied, in dB. */
        gainDb: number;
      }
    | undefined;
  /** How many leases wait behind the active one. */
  pendingLeaseCount: number;
  /** The crossfade in progress, if any. */
  crossfade:
    | {
        /** The outgoing segment, if a primary was playing. */
        fromSegmentId: string | undefined;
        /** The incoming segment. */
        toSegmentId: string;
        /** The fade length, in ms. */
        durationMs: number;
        /** How much of it has been rendered, in ms. */
        elapsedMs: number;
      }
    | undefined;
  /** How many output frames have been emitted. */
  frameCount: number;
}

/**
 * Plays speech segments onto one mixed output: the floor's primary speaker, overlays on top, one
 * duck lease, crossfades, pause/resume at the exact sample, stops at beats — every transition
 * serialized and click-free. Implemented by {@link SimAudioController} (virtual voice, beats
 * estimated from text) and {@link StreamingAudioController} (a `TtsModel`'s audio and marks).
 *
 * Output is rendered in frames of `frameDurationMs` (20 ms) on the controller's scheduler, one
 * output format chosen at construction; frames are rendered only while a segment plays (or fades),
 * so none is emitted while paused or idle. Every gain change ramps over at most 10 ms.
 *
 * **Transition rules.** Calls are applied synchronously, in call order, from the next rendered
 * sample; events they cause are delivered after the controller's state is consistent, so a handler
 * may call the controller again (that call is queued behind the current one).
 *
 * | situation | result |
 * |---|---|
 * | `play` a primary while another primary holds the floor | it waits (FIFO) and starts on the sample after the floor frees |
 * | `play` an overlay | starts as soon as its audio (and `startAt`) allow, at its `gainDb`, never ducked |
 * | `duck` while a lease is active | `queue`: lease `pending`, granted FIFO on release/revoke; `refuse`: {@link DuckLeaseBusyError} — never stacks |
 * | `duck` with no primary playing | lease `active`; the next primary starts ducked |
 * | `release` with a lease pending | next lease `active` at once; the gain ramps straight to its level |
 * | `crossfade` (any time, including mid duck ramp) | every lease (active and pending) `revoked`; the primary (if any) fades from its current gain to silence over `durationMs` then is cancelled (`crossfade`); the target fades from its current gain to 0 dB and holds the floor |
 * | `crossfade` during a crossfade | the previous outgoing segment is cut with a 10 ms fade and cancelled (`crossfade`); the previous incoming becomes the outgoing one |
 * | `crossfade` to a waiting segment | it jumps the queue and starts at once (silent until its audio arrives) |
 * | `crossfade` away from a primary that has not started (an earlier crossfade's target still waiting for audio) | that segment is cancelled at once (`crossfade`, `playedMs` 0); the new target fades in from silence |
 * | `duck` during a crossfade | lease `active`; the incoming segment ramps (≤ 10 ms) from where its fade-in is to the ducked level |
 * | `pause` | the next 10 ms of every playing segment fade out, then nothing renders; each position is the sample after its fade |
 * | `pause` during a crossfade | the crossfade completes at once: the outgoing segment fades with the pause and is cancelled (`crossfade`); the incoming one resumes at 0 dB |
 * | `resume` | every paused segment continues from its exact position with a 10 ms fade-in; no sample lost or repeated |
 * | `play` while paused | the segment waits; it starts after `resume` |
 * | `stopNow` | every active segment (playing, outgoing, waiting) fades out over ≤ 10 ms and is cancelled (`stop`); every lease `revoked` |
 * | `stopNow` while paused | every segment is cancelled at once (they are already silent) |
 * | `stopNow` during a crossfade | both sides are cancelled (`stop`) from the gains they had reached |
 * | `stopAt(beat)` | the segment plays to the sample where the beat starts, the last ≤ 10 ms faded, then is cancelled (`stop-at-beat`); a beat already started resolves to the next word beat; with no beat left it plays to its end (`end`) |
 * | `stopAt` during a crossfade | applies to the incoming segment (the outgoing one is already leaving) |
 * | cancel at the last millisecond of a word | the word counts as heard only if its last sample went out before the final fade began |
 * | unsubscribe from `play` | the segment is dropped with a 10 ms fade, its TTS stream unsubscribed; no event is delivered; the next primary starts |
 * | TTS stream error | the segment is cancelled (`error`, with a fade) and its play stream errors |
 *
 * @example
 * ```ts
 * import { SimAudioController, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
 * controller.output.subscribe((frame) => speaker.write(frame));
 * controller.play({ kind: 'text', speaker: 'ada', text: 'Hello there. How are you?' })
 *   .subscribe((event) => console.log(event.type, event.at));
 * const lease = controller.duck(-12, { holder: 'bob' }); // bob interjects
 * controller.play({ kind: 'text', speaker: 'bob', role: 'overlay', text: 'Right.' }).subscribe();
 * clock.advanceBy(600);
 * lease.release();
 * clock.flush();
 * ```
 */
export interface AudioController {
  /** The output format, fixed at construction. */
  readonly format: AudioFormat;
  /** The output frame duration, in ms (20 by default). */
  readonly frameDurationMs: number;
  /**
   * The mixed output. **Hot**: a subscriber receives the frames rendered from then on, stamped with
   * their due time on the scheduler; nothing is emitted while idle or paused. Completes on
   * {@link AudioController.dispose}; never errors.
   */
  readonly output: Observable<AudioFrame>;
  /** A synchronous snapshot of what plays, the pause flag, the lease holder and positions. */
  readonly state: AudioControllerState;

  /**
   * Plays a segment. **Cold**: each subscription plays the segment once; unsubscribing drops it
   * (10 ms fade) and cancels its TTS stream.
   *
   * @param segment - text or a TTS stream, with a speaker and an optional id, role and start.
   * @returns the segment's {@link PlaybackEvent}s; completes after `end` or `cancel`; errors with
   * an {@link InvalidArgumentError} (bad segment, or its id already active), an
   * {@link AudioFormatError} (audio at another sample rate), a {@link ControllerDisposedError}, or
   * the TTS stream's error (after a `cancel`).
   */
  play(segment: AudioSegment): Observable<PlaybackEvent>;

  /**
   * Ducks the primary speaker by `gainDb` (ramp ≤ 10 ms) for as long as the returned lease is
   * active. Only one lease is active at a time; a second request queues or is refused.
   *
   * @param gainDb - the attenuation in dB, ≤ 0 (`-Infinity` silences).
   * @param options - holder and busy policy.
   * @returns the lease (status `active` or `pending`).
   * @throws {@link InvalidArgumentError} for a positive or NaN gain; {@link DuckLeaseBusyError}
   * when another lease is active and the policy is `refuse`.
   */
  duck(gainDb: number, options?: DuckOptions): DuckLease;

  /**
   * Hands the floor to another active segment (an overlay, or a waiting primary) over `durationMs`,
   * revoking every duck lease. See the transition table.
   *
   * @param toSegmentId - the incoming segment (not the current primary).
   * @param durationMs - the fade length in ms, ≥ 0.
   * @param options - the fade curve (`equal-power` by default).
   * @throws {@link InvalidArgumentError} for an unknown or current-primary id or a negative duration.
   */
  crossfade(toSegmentId: string, durationMs: number, options?: CrossfadeOptions): void;

  /** Pauses every segment at its exact playback sample (after a 10 ms fade). Idempotent. */
  pause(): void;

  /** Resumes every paused segment from its exact position (10 ms fade-in). Idempotent. */
  resume(): void;

  /**
   * Arms a stop at a beat: the segment plays up to the beat's first sample, fades over the last
   * ≤ 10 ms, and is cancelled with reason `stop-at-beat`.
   *
   * @param target - `next-word`, `next-sentence` (of the primary) or a beat of a given segment.
   * @returns `false` when there is nothing to stop (no primary, or an unknown segment id).
   * @throws {@link InvalidArgumentError} for a malformed target.
   */
  stopAt(target: StopTarget): boolean;

  /** Stops everything now: every active segment fades out over ≤ 10 ms and is cancelled. */
  stopNow(): void;

  /**
   * Cancels every segment (reason `dispose`), revokes every lease, completes `output` and releases
   * every timer and subscription. Later `play` calls error with {@link ControllerDisposedError}.
   * Idempotent.
   */
  dispose(): void;
}
