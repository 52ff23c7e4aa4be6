import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeInterjectionText } from './sanitize-interjection-text';

describe('sanitizeInterjectionText (property)', () => {
  // numRuns 2000; texts up to 200 characters mixing words with markup fragments; caps 4..80.
  it('never returns markup, double quotes or more than the cap, whatever the input', () => {
    const fragment = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '<speak>',
        '</speak>',
        '<break time="1s"/>',
        '```',
        '"',
        '“',
        '”',
        '«',
        '`',
        '**',
        '# ',
        '> ',
      ),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 20 }), fc.integer({ min: 4, max: 80 }), (parts, cap) => {
        const text = sanitizeInterjectionText(parts.join(' '), cap);
        expect(Array.from(text).length).toBeLessThanOrEqual(cap);
        expect(text).not.toMatch(/<\/?[a-zA-Z][^<>]*>|```|["“”«»*`]/u);
        expect(text).toBe(text.trim());
      }),
      { numRuns: 2000 },
    );
  });
});
