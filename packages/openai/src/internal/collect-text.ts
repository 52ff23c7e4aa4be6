import type { TextInput } from '@argentum/core';
import { from, isObservable, type Observable, of, reduce } from 'rxjs';

/**
 * Joins a TTS text input (a string, an iterable, an async iterable or an Observable of pieces)
 * into one string, emitted once the input completes.
 * @internal
 */
export function collectText(input: TextInput): Observable<string> {
  if (typeof input === 'string') return of(input);
  if (isObservable(input)) return input.pipe(reduce((text, piece) => text + piece, ''));
  if (Symbol.asyncIterator in input) {
    return from(input as AsyncIterable<string>).pipe(reduce((text, piece) => text + piece, ''));
  }
  return of([...(input as Iterable<string>)].join(''));
}
