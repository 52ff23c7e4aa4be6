import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { sanitizeInterjectionText } from './sanitize-interjection-text';

describe('sanitizeInterjectionText', () => {
  it('strips SSML, quotes and code fences, keeping apostrophes inside words', () => {
    expect(sanitizeInterjectionText('<speak>"Exactly!"</speak>', 40)).toBe('Exactly!');
    expect(sanitizeInterjectionText('<break time="3s"/>Wait, that’s not right', 40)).toBe(
      'Wait, that’s not right',
    );
    expect(sanitizeInterjectionText('```js\nrm -rf /\n``` No way.', 40)).toBe('No way.');
    expect(sanitizeInterjectionText('**Really?** `source`', 40)).toBe('Really? source');
    expect(sanitizeInterjectionText("'Hardly,' he said", 40)).toBe('Hardly, he said');
  });

  it('caps the length at a word boundary with an ellipsis', () => {
    const text = sanitizeInterjectionText(
      'Hold on, that figure is from a study that was later retracted',
      32,
    );
    expect(text).toBe('Hold on, that figure is from a…');
    expect(Array.from(text).length).toBeLessThanOrEqual(32);
    expect(sanitizeInterjectionText('Supercalifragilisticexpialidocious', 10)).toBe('Supercali…');
    expect(sanitizeInterjectionText('Right.', 10)).toBe('Right.');
  });

  it('rejects a non-string text or a bad cap', () => {
    expect(() => sanitizeInterjectionText(42 as never, 10)).toThrow(InvalidArgumentError);
    expect(() => sanitizeInterjectionText('ok', 3)).toThrow(/maxCharacters/);
  });
});
