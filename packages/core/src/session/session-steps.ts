import { Observable, type OperatorFunction } from 'rxjs';
import type { SessionEvent } from './session-event';
import { createSessionState } from './session-state';
import {
  type SessionStepRecord,
  VoiceSessionMachine,
  type VoiceSessionMachineOptions,
} from './voice-session-machine';

/**
 * Operator: session events in, {@link SessionStepRecord}s out — the voice session reducer as a
 * stream (a `scan` over {@link reduceSession} that also injects the `tick`s the reducer asks for,
 * on `options.scheduler`). Each output carries the event, the new state, its effects and the
 * transition. The effects are not run: map them to your controller and agent.
 *
 * Cold: each subscription runs its own session from `idle`. Completes when the source completes
 * (a pending tick is dropped); errors with the source's error or an {@link InvalidTransitionError}.
 * Unsubscribing cancels the pending tick.
 *
 * @param options - the barge-in rules and the clock of the ticks.
 * @returns the operator.
 * @throws {@link InvalidArgumentError} at call time for invalid barge-in options.
 * @example
 * ```ts
 * import { sessionSteps, type SessionEvent } from '@argentum/core';
 * import { filter, map } from 'rxjs';
 *
 * events$ // Observable<SessionEvent> from your VAD, STT and controller
 *   .pipe(
 *     sessionSteps({ bargeIn: { minSpeechDurationMs: 400 } }),
 *     map((step) => step.state.status),
 *   )
 *   .subscribe((status) => console.log(status)); // listening, barged-in, listening, …
 * ```
 */
export function sessionSteps(
  options: VoiceSessionMachineOptions = {},
): OperatorFunction<SessionEvent, SessionStepRecord> {
  createSessionState(options); // validate at call time
  return (source) =>
    new Observable<SessionStepRecord>((subscriber) => {
      const machine = new VoiceSessionMachine(options);
      machine.on('step', (step) => subscriber.next(step));
      const subscription = source.subscribe({
        next: (event) => {
          try {
            machine.dispatch(event);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        machine.dispose();
      };
    });
}
