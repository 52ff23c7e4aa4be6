import { defer, map, type OperatorFunction } from 'rxjs';
import { PacingController, type PacingOptions } from './pacing-controller';
import { type TalkShareOptions, TalkShareWindow, type TalkTurn } from './talk-share-window';

/**
 * An agent finished speaking: the event the pacing operator consumes.
 *
 * @example
 * ```ts
 * const event: SpeakingEvent = { type: 'turn-end', agentId: 'alice', durationMs: 4200, at: clock.now() };
 * ```
 */
export interface SpeakingEvent extends TalkTurn {
  /** Discriminator. */
  type: 'turn-end';
}

/**
 * Options of {@link pacing}: the talk-share window and the pacing gains.
 *
 * @example
 * ```ts
 * const options: PacingOperatorOptions = { agents: ['alice', 'bob'], measure: 'turns', gain: 20 };
 * speaking$.pipe(pacing(options));
 * ```
 */
export interface PacingOperatorOptions extends TalkShareOptions, PacingOptions {}

/**
 * What {@link pacing} emits after each turn.
 *
 * @example
 * ```ts
 * speaking$.pipe(pacing({ agents })).subscribe((snapshot: PacingSnapshot) => {
 *   console.log(snapshot.agentId, 'spoke; multipliers now', snapshot.multipliers);
 * });
 * ```
 */
export interface PacingSnapshot {
  /** Discriminator. */
  type: 'pacing';
  /** When the turn that triggered this update ended, in scheduler ms. */
  at: number;
  /** Who had just spoken. */
  agentId: string;
  /** Share per agent in the window. */
  shares: Record<string, number>;
  /** Normalised target per agent. */
  targets: Record<string, number>;
  /** EMA of `share − target` per agent. */
  errors: Record<string, number>;
  /** Bid multiplier per agent. */
  multipliers: Record<string, number>;
}

/**
 * An RxJS operator from speaking events to pacing multipliers: each `turn-end` is recorded in a
 * {@link TalkShareWindow}, a {@link PacingController} folds the new shares into its error EMA, and
 * a {@link PacingSnapshot} with every agent's share, target, error and multiplier is emitted.
 *
 * Each subscription has its own window and controller, so replays are identical. Unknown agents
 * or out-of-order times error the stream (see {@link TalkShareWindow.record}).
 *
 * @param options - agents, targets, window and gains.
 * @returns the operator.
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { pacing } from '@argentum/core';
 *
 * of(
 *   { type: 'turn-end', agentId: 'alice', durationMs: 5000, at: 5000 } as const,
 *   { type: 'turn-end', agentId: 'alice', durationMs: 4000, at: 9000 } as const,
 * )
 *   .pipe(pacing({ agents: ['alice', 'bob'] }))
 *   .subscribe((snapshot) => console.log(snapshot.multipliers)); // alice < 1 < bob
 * ```
 */
export function pacing(options: PacingOperatorOptions): OperatorFunction<SpeakingEvent, PacingSnapshot> {
  // Validate eagerly so a bad option fails at pipe time, not at the first event.
  new TalkShareWindow(options);
  new PacingController(options);
  return (events) =>
    defer(() => {
      const talk = new TalkShareWindow(options);
      const controller = new PacingController(options);
      return events.pipe(
        map((event): PacingSnapshot => {
          talk.record(event);
          controller.update(talk);
          const snapshot = talk.snapshot();
          const state = controller.snapshot();
          return {
            type: 'pacing',
            at: event.at,
            agentId: event.agentId,
            shares: snapshot.shares,
            targets: snapshot.targets,
            errors: state.errors,
            multipliers: state.multipliers,
          };
        }),
      );
    });
}
