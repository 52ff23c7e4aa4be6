/**
 * Turns any `TextInput` (a string, an iterable, an async iterable or an Observable of strings) into
 * an Observable of text pieces, checking the pieces' type.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError, type TextInput } from '@argentum/core';
import { from, isObservable, map, type Observable, of } from 'rxjs';

/** @internal */
export function textPieces(text: TextInput): Observable<string> {
  if (typeof text === 'string') return of(text);
  const iterable =
    text !== null &&
    typeof text === 'object' &&
    (isObservable(text) || Symbol.iterator in text || Symbol.asyncIterator in text);
  if (!iterable) {
    throw new InvalidArgumentError(
      'request.text',
      `expected a string, an iterable, an async iterable or an Observable of strings, got ${describe(text)}.`,
    );
  }
  return from(text as Iterable<string> | AsyncIterable<string> | Observable<string>).pipe(
    map((piece) => {
      if (typeof piece !== 'string') {
        throw new InvalidArgumentError(
          'request.text',
          `every streamed piece must be a string, got ${describe(piece)}.`,
        );
      }
      return piece;
    }),
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
