import { describe, expect, test } from 'vitest';
import { SentenceSplitter } from './sentence-splitter';

function split(text: string, maxChars = 200): string[] {
  const splitter = new SentenceSplitter(maxChars);
  return [...splitter.push(text), ...splitter.end()];
}

describe('SentenceSplitter', () => {
  test('ends sentences at terminators followed by space or the end', () => {
    expect(split('Hello there. How are you? Great!  Fine… ok')).toEqual([
      'Hello there.',
      'How are you?',
      'Great!',
      'Fine…',
      'ok',
    ]);
  });

  test('keeps closing quotes and brackets with their sentence', () => {
    expect(split('He said "no." Then (quietly!) she left.')).toEqual([
      'He said "no."',
      'Then (quietly!)',
      'she left.',
    ]);
  });

  test('does not split after abbreviations, initials, or inside numbers and domains', () => {
    expect(split('Dr. Smith met Mr. J. Jones at 3.5 km, e.g. near example.com today. Next.')).toEqual([
      'Dr. Smith met Mr. J. Jones at 3.5 km, e.g. near example.com today.',
      'Next.',
    ]);
  });

  test('splits at line breaks and drops pieces with nothing to say', () => {
    expect(split('- first item\n- second item\n\n---\n... \nLast')).toEqual([
      '- first item',
      '- second item',
      'Last',
    ]);
  });

  test('collapses whitespace', () => {
    expect(split('  Lots   of \t space .  ')).toEqual(['Lots of space .']);
  });

  test('cuts an overlong sentence at a clause mark, else at a space, else at the limit', () => {
    const clause = `${'word '.repeat(6)}then, ${'more '.repeat(10)}`;
    expect(split(clause, 40)[0]).toBe('word word word word word word then,');
    const spaces = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
    const pieces = split(spaces, 20);
    expect(pieces.every((piece) => piece.length <= 20)).toBe(true);
    expect(pieces.join(' ')).toBe(spaces);
    expect(split('x'.repeat(50), 20)).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(10)]);
  });

  test('waits for the character after a terminator before deciding', () => {
    const splitter = new SentenceSplitter(200);
    expect(splitter.push('It works.')).toEqual([]);
    expect(splitter.push(' And')).toEqual(['It works.']);
    expect(splitter.push(' more')).toEqual([]);
    expect(splitter.end()).toEqual(['And more']);
  });
});
