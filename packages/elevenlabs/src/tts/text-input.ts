import type { TextInput } from '@argentum/core';
import { from, isObservable, type Observable, of } from 'rxjs';

/**
 * Turns any `TextInput` (a string, an iterable, an async iterable or an Observable of
 * deltas) into an Observable of deltas.
 * @internal
 */
export function textInputToObservable(text: TextInput): Observable<string> {
  if (typeof text === 'string') return of(text);
  if (isObservable(text)) return text;
  return from(text as Iterable<string> | AsyncIterable<string>);
}
