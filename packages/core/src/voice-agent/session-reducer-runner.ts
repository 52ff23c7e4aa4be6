import type { SchedulerLike, Subscription } from 'rxjs';
import { reduceSession } from '../session/reduce-session';
import type { SessionEffect } from '../session/session-effect';
import type { SessionEvent } from '../session/session-event';
import type { SessionState } from '../session/session-state';
import type { VoiceAgentErrorEvent, VoiceAgentEvent } from './voice-agent-events';

/** The effects the runner hands to the session (it runs the tick timer itself). @internal */
export type HandledSessionEffect = Exclude<
  SessionEffect,
  { type: 'schedule-tick' | 'cancel-tick' | 'request-transcript' | 'emit-metrics' }
>;

/** One handler per effect the session acts on. @internal */
export type SessionEffectHandlers = {
  [Type in HandledSessionEffect['type']]: (effect: Extract<HandledSessionEffect, { type: Type }>) => void;
};

/** What the runner reports through. @internal */
export interface SessionReducerRunnerInit {
  /** The reducer's initial state. */
  initial: SessionState;
  scheduler: SchedulerLike;
  emit(event: VoiceAgentEvent): void;
  emitError(stage: VoiceAgentErrorEvent['stage'], error: unknown): void;
  handlers: SessionEffectHandlers;
}

/**
 * Holds a voice session's reducer state and runs events through {@link reduceSession}: each
 * transition is reported as a `state` event and each effect is run — the tick timer here, the rest
 * by the session's handlers.
 * @internal
 */
export class SessionReducerRunner {
  readonly #init: SessionReducerRunnerInit;
  /** Core's voice session state machine: the only state (and context version) of the session. */
  #machine: SessionState;
  readonly #queue: SessionEvent[] = [];
  #dispatching = false;
  #tickTimer: Subscription | undefined;

  constructor(init: SessionReducerRunnerInit) {
    this.#init = init;
    this.#machine = init.initial;
  }

  /** The reducer's current state. */
  get state(): SessionState {
    return this.#machine;
  }

  /**
   * Runs one event through core's session reducer, reports its transition as a `state` event and
   * runs its effects. Events raised while effects run (e.g. `audio-cancel` after `cancel-reply`)
   * are queued and reduced after them, in order.
   */
  dispatch(event: SessionEvent): void {
    this.#queue.push(event);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        let step: ReturnType<typeof reduceSession>;
        try {
          step = reduceSession(this.#machine, next);
        } catch (error) {
          // An event the table does not accept in this state (InvalidTransitionError) is reported
          // and skipped: the session stays where it was rather than throwing inside a stream callback.
          this.#init.emitError('session', error);
          continue;
        }
        this.#machine = step.state;
        const transition = step.transition;
        if (transition !== undefined) {
          this.#init.emit({
            type: 'state',
            state: transition.to,
            previous: transition.from,
            at: this.#init.scheduler.now(),
          });
        }
        for (const effect of step.effects) this.#run(effect);
      }
    } finally {
      this.#dispatching = false;
      this.#queue.length = 0;
    }
  }

  /** Cancels the pending reducer tick (the session closing). */
  cancelTick(): void {
    this.#tickTimer?.unsubscribe();
    this.#tickTimer = undefined;
  }

  #run(effect: SessionEffect): void {
    const handlers = this.#init.handlers;
    switch (effect.type) {
      case 'start-reply':
        handlers['start-reply'](effect);
        return;
      case 'play-reply':
        handlers['play-reply'](effect);
        return;
      case 'pause-output':
        handlers['pause-output'](effect);
        return;
      case 'resume-output':
        handlers['resume-output'](effect);
        return;
      case 'cancel-reply':
        handlers['cancel-reply'](effect);
        return;
      case 'discard-reply':
        handlers['discard-reply'](effect);
        return;
      case 'commit-agent-turn':
        handlers['commit-agent-turn'](effect);
        return;
      case 'schedule-tick': {
        const scheduler = this.#init.scheduler;
        this.#tickTimer?.unsubscribe();
        const delayMs = Math.max(0, effect.at - scheduler.now());
        this.#tickTimer = scheduler.schedule(() => {
          this.#tickTimer = undefined;
          this.dispatch({ type: 'tick', at: scheduler.now() });
        }, delayMs);
        return;
      }
      case 'cancel-tick':
        this.cancelTick();
        return;
      case 'request-transcript':
      // The user input closes the utterance's audio stream at the speech end: its STT finalizes by itself.
      case 'emit-metrics':
        // Barge-in outcomes reach the app as `agent-paused` / `agent-resumed` / `agent-interrupted`
        // and in the reply's `turn-metrics` (pause latency, tail).
        return;
    }
  }
}
