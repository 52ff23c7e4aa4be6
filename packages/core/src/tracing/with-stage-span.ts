import type { Attributes } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import type { TurnTrace } from './turn-trace';

/**
 * Wraps a stage's stream in a child span of the turn: the span starts on subscribe (and is the
 * active context while the source is subscribed, so synchronous instrumentation nests under it),
 * records the time to the first value as `argentum.first_event_ms` (LLM time to first token, TTS
 * time to first byte), counts values, and ends on completion, on error (with the error recorded)
 * or on unsubscribe (marked `argentum.cancelled`). Values pass through unchanged. While the turn
 * span does not record, no stage span is made and the turn's context is the active one.
 *
 * @param turn - the turn the stage belongs to.
 * @param stage - the stage name, e.g. `stt`, `llm`, `tts`, `playout`.
 * @param attributes - extra span attributes (e.g. the provider and model).
 * @returns an operator that leaves the stream as it is.
 * @example
 * ```ts
 * tts.synthesize({ text }, turn.callOptions())
 *   .pipe(withStageSpan(turn, 'tts', { 'argentum.provider': tts.provider }))
 *   .subscribe(play);
 * ```
 */
export function withStageSpan<T>(
  turn: TurnTrace,
  stage: string,
  attributes?: Attributes,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    turn.span.isRecording()
      ? new Observable<T>((subscriber) => {
          const stageSpan = turn.startStage(stage, attributes);
          const subscription = context.with(stageSpan.context, () =>
            source.subscribe({
              next: (value) => {
                stageSpan.firstEvent();
                subscriber.next(value);
              },
              error: (error: unknown) => {
                stageSpan.fail(error);
                subscriber.error(error);
              },
              complete: () => {
                stageSpan.end();
                subscriber.complete();
              },
            }),
          );
          return () => {
            subscription.unsubscribe();
            stageSpan.cancel();
          };
        })
      : // A turn that does not record gets no stage span; the turn stays the active context.
        new Observable<T>((subscriber) => context.with(turn.context, () => source.subscribe(subscriber)));
}
