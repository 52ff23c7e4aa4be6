import { describe, expect, it } from 'vitest';
import { TextChunker } from './text-chunker';

const run = (deltas: string[]) => {
  const chunker = new TextChunker({ minClauseLength: 20, maxLength: 60 });
  const pieces = deltas.flatMap((delta) => chunker.push(delta));
  return [...pieces, ...chunker.finish()];
};

describe('TextChunker', () => {
  it('cuts LLM deltas at sentence ends, each piece ending with one space', () => {
    const pieces = run(['Hel', 'lo there.', ' How', ' are you?', ' Fine']);
    expect(pieces.map((piece) => piece.text)).toEqual(['Hello there. ', 'How are you? ', 'Fine ']);
    expect(pieces.map((piece) => piece.sentenceEnd)).toEqual([true, true, false]);
  });

  it('waits for the whitespace after punctuation, so decimals never split', () => {
    expect(run(['It costs 3', '.5 dollars. Ok']).map((piece) => piece.text)).toEqual([
      'It costs 3.5 dollars. ',
      'Ok ',
    ]);
  });

  it('splits at clauses only once the piece is long enough', () => {
    const pieces = run(['Yes, but the weather today is rather grim, so stay in']);
    expect(pieces.map((piece) => piece.text)).toEqual([
      'Yes, but the weather today is rather grim, ',
      'so stay in ',
    ]);
  });

  it('cuts a long run without boundaries at a space', () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const pieces = run([words]);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.text.length <= 64 && piece.text.endsWith(' '))).toBe(true);
    expect(
      pieces
        .map((piece) => piece.text)
        .join('')
        .trim()
        .split(/\s+/),
    ).toEqual(words.split(' '));
  });

  it('emits nothing for whitespace-only input', () => {
    expect(run(['  ', '\n'])).toEqual([]);
  });
});
