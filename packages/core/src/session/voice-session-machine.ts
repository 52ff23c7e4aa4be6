import { EventEmitter } from 'eventemitter3';
import { BehaviorSubject, type Observable, type SchedulerLike, Subject, type Subscription } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { reduceSession, type SessionStep, type SessionTransition } from './reduce-session';
import type { SessionEffect } from './session-effect';
import type { SessionEvent } from './session-event';
import { createSessionState, type SessionState, type SessionStateOptions } from './session-state';

/** Options of {@link VoiceSessionMachine}. */
export interface VoiceSessionMachineOptions extends SessionStateOptions {
  /** The clock for `tick`s; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
}

/** A {@link SessionStep} together with the event that caused it. */
export interface SessionStepRecord extends SessionStep {
  /** The event. */
  event: SessionEvent;
}

/**
 * The listener signatures of {@link VoiceSessionMachine.on}:
 * `state` after every step that changed the state, `transition` when the status changed,
 * `effect` for every effect in order, `step` for every step.
 */
export interface VoiceSessionMachineEvents {
  /** The state after a step that changed it. */
  state: (state: SessionState) => void;
  /** A change of status. */
  transition: (transition: SessionTransition) => void;
  /** One effect, in order, with the state after its step. */
  effect: (effect: SessionEffect, state: SessionState) => void;
  /** Every step. */
  step: (step: SessionStepRecord) => void;
}

/**
 * The voice session reducer ({@link reduceSession}) with a memory and a clock: it holds the
 * current state, runs the `tick`s the reducer asks for on the injected scheduler, and publishes
 * every step — as Observables (`state$`, `transitions$`, `effects$`, `steps$`) and through an
 * eventemitter3 listener facade (`.on('state', fn)`, `.on('effect', fn)`) for apps without RxJS.
 * It performs no other effect: run `pause-output`, `start-reply` … yourself, or use
 * {@link VoiceSession}, which wires a controller, VAD and STT to it.
 *
 * `dispatch` may be called from a listener: the event is queued and reduced after the current
 * one, so listeners always see the steps in order.
 *
 * @example
 * ```ts
 * import { VoiceSessionMachine, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const machine = new VoiceSessionMachine({ scheduler: clock.scheduler });
 * machine.on('transition', ({ from, to, event }) => console.log(`${from} → ${to} on ${event}`));
 * machine.on('effect', (effect) => {
 *   if (effect.type === 'pause-output') controller.pause();
 * });
 * machine.dispatch({ type: 'start', at: clock.now() }); // idle → listening on start
 * ```
 */
export class VoiceSessionMachine {
  /** The clock of the ticks. */
  readonly scheduler: SchedulerLike;
  /**
   * The state: the current one on subscription, then each new one. **Hot**; completes on
   * {@link VoiceSessionMachine.dispose}.
   */
  readonly state$: Observable<SessionState>;
  /** Every step with its event. **Hot**: only steps after subscription; completes on dispose. */
  readonly steps$: Observable<SessionStepRecord>;
  /** Every change of status. **Hot**; completes on dispose. */
  readonly transitions$: Observable<SessionTransition>;
  /** Every effect, in order. **Hot**; completes on dispose. */
  readonly effects$: Observable<SessionEffect>;

  private current: SessionState;
  private readonly stateSubject: BehaviorSubject<SessionState>;
  private readonly stepSubject = new Subject<SessionStepRecord>();
  private readonly transitionSubject = new Subject<SessionTransition>();
  private readonly effectSubject = new Subject<SessionEffect>();
  private readonly emitter = new EventEmitter<VoiceSessionMachineEvents>();
  private readonly queue: SessionEvent[] = [];
  private running = false;
  private disposed = false;
  private tickTimer: Subscription | undefined;

  /**
   * @param options - the barge-in rules and the clock.
   * @throws {@link InvalidArgumentError} for invalid barge-in options.
   */
  constructor(options: VoiceSessionMachineOptions = {}) {
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.current = createSessionState(options);
    this.stateSubject = new BehaviorSubject(this.current);
    this.state$ = this.stateSubject.asObservable();
    this.steps$ = this.stepSubject.asObservable();
    this.transitions$ = this.transitionSubject.asObservable();
    this.effects$ = this.effectSubject.asObservable();
  }

  /** The current state. */
  get state(): SessionState {
    return this.current;
  }

  /** Whether a `tick` is scheduled (for leak checks). */
  get tickPending(): boolean {
    return this.tickTimer !== undefined;
  }

  /**
   * Reduces an event (after any queued ones) and publishes the step.
   *
   * @param event - what happened.
   * @throws {@link InvalidTransitionError} when the state does not accept the event — thrown from
   * the outermost `dispatch` call; the queue is then cleared and the state unchanged.
   * @example
   * ```ts
   * machine.dispatch({ type: 'user-speech-start', at: clock.now(), onsetAt: clock.now() - 20 });
   * ```
   */
  dispatch(event: SessionEvent): void {
    if (this.disposed) return;
    this.queue.push(event);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        this.step(next);
        if (this.disposed) break;
      }
    } catch (error) {
      this.queue.length = 0;
      throw error;
    } finally {
      this.running = false;
    }
  }

  /**
   * Adds a listener (the eventemitter3 facade).
   *
   * @param name - `state`, `transition`, `effect` or `step`.
   * @param listener - the callback.
   * @returns this machine, for chaining.
   * @example
   * ```ts
   * machine.on('state', (state) => render(state.status));
   * ```
   */
  on<Name extends keyof VoiceSessionMachineEvents>(
    name: Name,
    listener: VoiceSessionMachineEvents[Name],
  ): this {
    // biome-ignore lint/suspicious/noExplicitAny: eventemitter3's listener type is generic per name.
    this.emitter.on(name, listener as any);
    return this;
  }

  /**
   * Removes a listener added with {@link VoiceSessionMachine.on}.
   *
   * @param name - the event name.
   * @param listener - the same callback.
   * @returns this machine, for chaining.
   * @example
   * ```ts
   * machine.off('state', render);
   * ```
   */
  off<Name extends keyof VoiceSessionMachineEvents>(
    name: Name,
    listener: VoiceSessionMachineEvents[Name],
  ): this {
    // biome-ignore lint/suspicious/noExplicitAny: see on().
    this.emitter.off(name, listener as any);
    return this;
  }

  /**
   * Cancels the pending tick, completes every stream and removes every listener. Later
   * dispatches are ignored. Idempotent.
   *
   * @example
   * ```ts
   * machine.dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue.length = 0;
    this.tickTimer?.unsubscribe();
    this.tickTimer = undefined;
    this.stateSubject.complete();
    this.stepSubject.complete();
    this.transitionSubject.complete();
    this.effectSubject.complete();
    this.emitter.removeAllListeners();
  }

  private step(event: SessionEvent): void {
    const step = reduceSession(this.current, event);
    const changed = step.state !== this.current;
    this.current = step.state;
    for (const effect of step.effects) {
      if (effect.type === 'schedule-tick') this.scheduleTick(effect.at);
      else if (effect.type === 'cancel-tick') this.cancelTick();
    }
    const record: SessionStepRecord = { ...step, event };
    if (changed) {
      this.stateSubject.next(step.state);
      this.emitter.emit('state', step.state);
    }
    if (step.transition !== undefined) {
      this.transitionSubject.next(step.transition);
      this.emitter.emit('transition', step.transition);
    }
    for (const effect of step.effects) {
      this.effectSubject.next(effect);
      this.emitter.emit('effect', effect, step.state);
    }
    this.stepSubject.next(record);
    this.emitter.emit('step', record);
  }

  private scheduleTick(at: number): void {
    this.cancelTick();
    const delay = Math.max(0, at - this.scheduler.now());
    this.tickTimer = this.scheduler.schedule(() => {
      this.tickTimer = undefined;
      this.dispatch({ type: 'tick', at: Math.max(at, this.scheduler.now()) });
    }, delay);
  }

  private cancelTick(): void {
    this.tickTimer?.unsubscribe();
    this.tickTimer = undefined;
  }
}
