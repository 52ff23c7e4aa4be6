/**
 * Estimates where each word of a synthesized sentence lies in its audio.
 *
 * mespeak reports no timings, so they are estimated from the text and the audio together:
 * 1. the voiced span is measured (leading and trailing silence excluded, see `speech-activity.ts`);
 * 2. the sentence is cut into clauses at punctuation eSpeak pauses at (`,` `;` `:` brackets,
 *    quotes, `--`, inner `!` `?` `…`); when the audio has at least that many pauses long enough to
 *    be phrase breaks, the longest ones are taken as the clause boundaries, in time order;
 * 3. within each clause (or, without enough pauses, within the whole voiced span, with an
 *    expected pause length reserved at each clause boundary) the time is shared among the words
 *    by weight: estimated syllables plus a little per letter.
 *
 * Words are contiguous inside a clause; a word's duration runs to the next word's start.
 *
 * @internal
 * @module
 */
import type { SpeechActivity } from './speech-activity';

/** One word and its estimated position in the sentence audio. @internal */
export interface WordTiming {
  /** The word without surrounding punctuation. */
  readonly text: string;
  /** Start in ms from the sentence audio's first sample. */
  readonly startMs: number;
  /** Estimated length in ms. */
  readonly durationMs: number;
}

/** A word and whether eSpeak is expected to pause after it. @internal */
export interface SpokenWord {
  readonly text: string;
  readonly pauseAfter: boolean;
  readonly weight: number;
}

const WORD_CORE = /^[^\p{L}\p{N}]*(.*?)[^\p{L}\p{N}]*$/su;
const HAS_SPOKEN = /[\p{L}\p{N}]/u;
const PAUSE_PUNCTUATION = /[,;:()[\]{}"“”!?…]|--/;
/** A clause pause, in word-weight units (≈ 0.6 syllable), used when the audio shows too few pauses. */
const EXPECTED_PAUSE_WEIGHT = 0.6;
/** At eSpeak's default 175 wpm a comma pause lasts ~140 ms and a stop closure ≤ 60 ms. */
const MIN_PHRASE_PAUSE_MS_AT_DEFAULT_SPEED = 90;

/**
 * Splits a sentence into its spoken words: whitespace-separated tokens that contain a letter or
 * digit, stripped of leading and trailing punctuation, each with its weight and whether
 * punctuation after it calls for a pause.
 * @internal
 */
export function spokenWords(sentence: string): SpokenWord[] {
  const words: { text: string; weight: number; after: string }[] = [];
  for (const token of sentence.split(/\s+/)) {
    if (token.length === 0) continue;
    if (!HAS_SPOKEN.test(token)) {
      const previous = words[words.length - 1];
      if (previous) previous.after += ` ${token}`;
      continue;
    }
    const core = WORD_CORE.exec(token)![1]!;
    const lead = token.slice(0, token.indexOf(core));
    const previous = words[words.length - 1];
    if (previous) previous.after += lead;
    words.push({
      text: core,
      weight: wordWeight(core),
      after: token.slice(token.indexOf(core) + core.length),
    });
  }
  return words.map((word, index) => ({
    text: word.text,
    weight: word.weight,
    pauseAfter: index < words.length - 1 && PAUSE_PUNCTUATION.test(word.after),
  }));
}

/**
 * Estimates each word's start and duration inside one synthesized sentence.
 *
 * @param words - from {@link spokenWords}.
 * @param activity - the sentence audio's voiced span and pauses.
 * @param speedWpm - the eSpeak speed used, to scale what counts as a phrase pause.
 * @internal
 */
export function estimateWordTimings(
  words: readonly SpokenWord[],
  activity: SpeechActivity,
  speedWpm: number,
): WordTiming[] {
  if (words.length === 0) return [];
  const slots: number[] = [];
  words.forEach((word, index) => {
    if (word.pauseAfter) slots.push(index);
  });
  const minPauseMs = clamp((MIN_PHRASE_PAUSE_MS_AT_DEFAULT_SPEED * 175) / speedWpm, 50, 250);
  const candidates = activity.pauses.filter((pause) => pause.endMs - pause.startMs >= minPauseMs);
  const timings: WordTiming[] = [];
  if (slots.length > 0 && candidates.length >= slots.length) {
    const chosen = [...candidates]
      .sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs) || a.startMs - b.startMs)
      .slice(0, slots.length)
      .sort((a, b) => a.startMs - b.startMs);
    let first = 0;
    let startMs = activity.voicedStartMs;
    for (let k = 0; k <= slots.length; k++) {
      const last = k < slots.length ? slots[k]! : words.length - 1;
      const endMs = k < slots.length ? chosen[k]!.startMs : activity.voicedEndMs;
      spread(words, first, last, startMs, endMs, 0, timings);
      if (k < slots.length) startMs = chosen[k]!.endMs;
      first = last + 1;
    }
    return timings;
  }
  spread(
    words,
    0,
    words.length - 1,
    activity.voicedStartMs,
    activity.voicedEndMs,
    EXPECTED_PAUSE_WEIGHT,
    timings,
  );
  return timings;
}

/** Shares [startMs, endMs] among words first..last by weight (plus a pause weight after pausing words). */
function spread(
  words: readonly SpokenWord[],
  first: number,
  last: number,
  startMs: number,
  endMs: number,
  pauseWeight: number,
  out: WordTiming[],
): void {
  let total = 0;
  for (let i = first; i <= last; i++) {
    total += words[i]!.weight + (i < last && words[i]!.pauseAfter ? pauseWeight : 0);
  }
  const span = Math.max(0, endMs - startMs);
  let position = 0;
  for (let i = first; i <= last; i++) {
    const word = words[i]!;
    const wordStart = startMs + (span * position) / total;
    out.push({ text: word.text, startMs: wordStart, durationMs: (span * word.weight) / total });
    position += word.weight + (i < last && word.pauseAfter ? pauseWeight : 0);
  }
}

/** Estimated syllables plus a tenth per letter (consonant clusters take time too). */
function wordWeight(word: string): number {
  const letters = word.replace(/[^\p{L}\p{N}]/gu, '');
  return syllables(word) + 0.1 * letters.length;
}

function syllables(word: string): number {
  const lower = word.toLowerCase();
  const digits = lower.replace(/[^0-9]/g, '').length;
  const latin = lower.replace(/[^a-z]/g, '');
  let count = Math.round(digits * 1.3);
  if (latin.length > 0) {
    let groups = latin.match(/[aeiouy]+/g)?.length ?? 0;
    if (groups > 1 && latin.endsWith('e') && !latin.endsWith('le')) groups--;
    count += Math.max(1, groups);
  }
  const other = lower.replace(/[a-z0-9]/g, '').replace(/[^\p{L}]/gu, '').length;
  count += Math.ceil(other / 2.5);
  return Math.max(1, count);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
