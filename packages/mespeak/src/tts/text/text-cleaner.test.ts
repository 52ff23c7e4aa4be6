import { describe, expect, test } from 'vitest';
import { TextCleaner } from './text-cleaner';

function clean(text: string): string {
  const cleaner = new TextCleaner();
  return (cleaner.push(text) + cleaner.end()).replace(/ +/g, ' ').trim();
}

function cleanInPieces(pieces: string[]): string {
  const cleaner = new TextCleaner();
  let out = '';
  for (const piece of pieces) out += cleaner.push(piece);
  return (out + cleaner.end()).replace(/ +/g, ' ').trim();
}

describe('TextCleaner', () => {
  test('removes SSML and HTML tags but keeps their text', () => {
    expect(
      clean('<speak>Hello <break time="500ms"/>there, <emphasis level="strong">friend</emphasis>.</speak>'),
    ).toBe('Hello there, friend .');
    expect(clean('<p>One</p><!-- note --><p>Two</p>')).toBe('One Two');
  });

  test('keeps a less-than sign that does not open a tag', () => {
    expect(clean('3 < 5 and 7 <= 9')).toBe('3 < 5 and 7 <= 9');
    expect(clean('a <b never closed')).toBe('a <b never closed');
  });

  test('drops fenced code blocks whole and unwraps inline code', () => {
    expect(clean('Run this:\n```ts\nconst x = 1;\n```\nThen call `start` now.')).toBe(
      'Run this:\n \nThen call start now.',
    );
    expect(clean('Before ```unterminated code to the end')).toBe('Before');
  });

  test('removes Markdown markers and emoji that the engine would read aloud', () => {
    expect(clean('# Title\n**Bold** and _italic_ ~~gone~~ 👍🏽 ok 🇫🇷!')).toBe(
      'Title\nBold and italic gone ok !',
    );
  });

  test('decodes character entities', () => {
    expect(clean('Fish &amp; chips &lt;3 &quot;yes&quot; it&#8217;s &#x2014; fine&nbsp;now &bogus; &')).toBe(
      'Fish & chips <3 "yes" it’s — fine now &bogus; &',
    );
  });

  test('turns tabs and other whitespace into spaces but keeps line breaks', () => {
    expect(clean('a\tb\r\nc\u00a0d')).toBe('a b\nc d');
  });

  test('gives the same text however the input is cut', () => {
    const text = 'Hi <break time="1s"/> there &amp; ```js\ncode()\n``` `x` 👍 done &lt; 3 <b>bold</b>.';
    const whole = clean(text);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(cleanInPieces([text.slice(0, cut), text.slice(cut)])).toBe(whole);
    }
    expect(cleanInPieces([...text])).toBe(whole);
    // One UTF-16 code unit at a time: emoji arrive as two halves.
    expect(cleanInPieces(text.split(''))).toBe(whole);
  });
});
