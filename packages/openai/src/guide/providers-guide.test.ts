import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The worked example in `docs/guides/providers.md` is this folder's `compatible-chat.ts` and
 * `compatible-chat.test.ts` (which the package's typecheck compiles and its test run executes).
 * This test fails when the guide and the tested code drift apart.
 */
const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8');
const guide = read('../../../../docs/guides/providers.md');

function blockAfter(caption: string): string {
  const at = guide.indexOf(caption);
  expect(at, `the guide has a block captioned ${caption}`).toBeGreaterThanOrEqual(0);
  const block = /```ts\n([\s\S]*?)```/.exec(guide.slice(at));
  return block?.[1] ?? '';
}

const lineCount = (text: string): number => text.trimEnd().split('\n').length;

describe('providers guide', () => {
  it('shows the provider sample exactly as it is compiled and tested here', () => {
    expect(blockAfter('`compatible-chat.ts`:')).toBe(read('./compatible-chat.ts'));
  });

  it('shows the sample’s tests exactly as they run here (importing the published testing entry)', () => {
    const tests = read('./compatible-chat.test.ts').replace(
      "'../testing/index'",
      "'@argentum/openai/testing'",
    );
    expect(blockAfter('`compatible-chat.test.ts`')).toBe(tests);
  });

  it('states the sample’s true size, under 200 lines', () => {
    const code = lineCount(read('./compatible-chat.ts'));
    const tests = lineCount(read('./compatible-chat.test.ts'));
    expect(code + tests).toBeLessThan(200);
    expect(guide).toContain(`${code} lines of code and ${tests} of tests`);
  });
});
