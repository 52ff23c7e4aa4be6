/**
 * Short listener responses that acknowledge the speaker rather than take the floor. Pass them as
 * {@link BargeInPolicyOptions.backchannelWords} so that "uh-huh" or "yeah" never interrupts the agent.
 * Matching ignores case, punctuation and hyphens ("Uh huh." matches `uh-huh`).
 *
 * @example
 * ```ts
 * import { BargeInPolicy, DEFAULT_BACKCHANNEL_WORDS } from '@argentum/core';
 *
 * const policy = new BargeInPolicy({ backchannelWords: [...DEFAULT_BACKCHANNEL_WORDS, 'gotcha'] });
 * ```
 */
export const DEFAULT_BACKCHANNEL_WORDS: readonly string[] = Object.freeze([
  'uh-huh',
  'mm-hmm',
  'mhm',
  'hmm',
  'yeah',
  'yep',
  'right',
  'okay',
  'ok',
  'aha',
]);

/** How a transcript splits into backchannel and interrupting words. @internal */
export interface WordCount {
  /** Every word. */
  total: number;
  /** Words that are not backchannels. */
  interrupting: number;
}

/** Lower-cases and strips everything but letters, digits and apostrophes; hyphens join. @internal */
export function normalizeWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/[-‐‑–]/g, '')
    .replace(/[^\p{L}\p{N}']/gu, '')
    .replace(/^'+|'+$/g, '');
}

/** Splits a transcript into normalized words. @internal */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const raw of text.split(/[\s,.;:!?¿¡"()[\]{}…]+/u)) {
    // Hyphenated backchannels are matched joined ("uh-huh" → "uhhuh"), other hyphenated compounds
    // count as one word too.
    const word = normalizeWord(raw);
    if (word.length > 0) words.push(word);
  }
  return words;
}

/**
 * Counts the words of `text`, and how many of them are not backchannels. Two adjacent words that
 * join into a backchannel ("uh huh" → `uh-huh`) count as one backchannel. With `tentative`
 * (a partial transcript), a last word that may still grow into a backchannel ("uh" of "uh-huh",
 * "mm" of "mm-hmm") does not count as interrupting yet.
 * @internal
 */
export function countWords(text: string, backchannels: ReadonlySet<string>, tentative = false): WordCount {
  const words = splitWords(text);
  if (tentative && backchannels.size > 0) {
    const last = words.at(-1);
    if (
      last !== undefined &&
      !backchannels.has(last) &&
      [...backchannels].some((word) => word.startsWith(last))
    ) {
      words.pop();
      const counted = countWords(words.join(' '), backchannels);
      return { total: counted.total + 1, interrupting: counted.interrupting };
    }
  }
  let total = 0;
  let interrupting = 0;
  for (let index = 0; index < words.length; index++) {
    total++;
    const word = words[index]!;
    if (backchannels.has(word)) continue;
    const next = words[index + 1];
    if (next !== undefined && backchannels.has(word + next)) {
      index++;
      continue;
    }
    interrupting++;
  }
  return { total, interrupting };
}
