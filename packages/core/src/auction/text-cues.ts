import { InvalidArgumentError } from '../errors/invalid-argument-error';

/**
 * What {@link analyzeTextCues} found in a piece of text, and the affect it reads from it.
 *
 * @example
 * ```ts
 * const { arousal, valence, hedges }: TextCues = analyzeTextCues('Perhaps, but I am not sure.');
 * ```
 */
export interface TextCues {
  /** Arousal implied by the text, −1 (subdued) .. 1 (agitated). */
  arousal: number;
  /** Valence implied by the text, −1 (negative) .. 1 (positive). */
  valence: number;
  /** Number of `!`. */
  exclamations: number;
  /** Number of `?`. */
  questions: number;
  /** Words of three or more letters in capitals (shouting). */
  shouted: number;
  /** Hedges: maybe, perhaps, I think, sort of, … */
  hedges: number;
  /** Negations: not, no, never, …n't, … */
  negations: number;
  /** Positive lexicon words (after negation flips). */
  positives: number;
  /** Negative lexicon words (after negation flips). */
  negatives: number;
}

const HEDGES = new Set([
  'maybe',
  'perhaps',
  'possibly',
  'probably',
  'might',
  'arguably',
  'somewhat',
  'apparently',
  'presumably',
  'seemingly',
]);
const HEDGE_PAIRS = new Set([
  'i think',
  'i guess',
  'i suppose',
  'sort of',
  'kind of',
  'not sure',
  'could be',
]);
const NEGATIONS = new Set(['not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'cannot']);
const POSITIVE = new Set([
  'agree',
  'good',
  'great',
  'excellent',
  'right',
  'exactly',
  'yes',
  'thanks',
  'love',
  'wonderful',
  'brilliant',
  'fair',
  'true',
  'helpful',
  'convincing',
]);
const NEGATIVE = new Set([
  'wrong',
  'bad',
  'terrible',
  'awful',
  'hate',
  'nonsense',
  'absurd',
  'ridiculous',
  'disagree',
  'false',
  'worse',
  'worst',
  'stupid',
  'misleading',
  'unfair',
]);

/** Arousal per `!` (at most three count). */
const EXCLAMATION_AROUSAL = 0.25;
/** Arousal per `?` (at most two count). */
const QUESTION_AROUSAL = 0.1;
/** Arousal per shouted word (at most three count). */
const SHOUT_AROUSAL = 0.2;
/** Arousal per hedge (negative: hedging is subdued). */
const HEDGE_AROUSAL = -0.2;
/** Valence per sentiment word. */
const SENTIMENT_VALENCE = 0.3;
/** Valence per stand-alone negation. */
const NEGATION_VALENCE = -0.1;

const clampUnit = (value: number): number => (value < -1 ? -1 : value > 1 ? 1 : value);

/**
 * Reads affect cues from text with a small, transparent heuristic (no model): exclamation marks,
 * questions and SHOUTED words raise arousal; hedges ("maybe", "I think", "sort of") lower it;
 * words from a small positive/negative lexicon move valence, and a negation within the two words
 * before a sentiment word flips it ("not good" is negative); other negations nudge valence down.
 * English only.
 *
 * @param text - an utterance.
 * @returns counts and the arousal/valence they imply, each in −1..1.
 * @throws {@link InvalidArgumentError} when `text` is not a string.
 * @example
 * ```ts
 * import { analyzeTextCues } from '@argentum/core';
 *
 * analyzeTextCues('That is simply WRONG!'); // arousal 0.45, valence −0.3
 * analyzeTextCues('Maybe, I think, that is not bad.'); // arousal −0.4, valence 0.3
 * ```
 */
export function analyzeTextCues(text: string): TextCues {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError('text', `expected a string, got ${String(text)}.`);
  }
  let exclamations = 0;
  let questions = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 33) exclamations++;
    else if (code === 63) questions++;
  }
  const shouted = text.match(/\b[A-Z]{3,}\b/g)?.length ?? 0;
  const words = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  let hedges = 0;
  let negations = 0;
  let positives = 0;
  let negatives = 0;
  let negatedUntil = -1;
  let pendingNegations = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    if (next !== undefined && HEDGE_PAIRS.has(`${word} ${next}`)) {
      hedges++;
      i++;
      continue;
    }
    if (HEDGES.has(word)) {
      hedges++;
      continue;
    }
    if (NEGATIONS.has(word) || word.endsWith("n't")) {
      negations++;
      pendingNegations++;
      negatedUntil = i + 2;
      continue;
    }
    const sentiment = POSITIVE.has(word) ? 1 : NEGATIVE.has(word) ? -1 : 0;
    if (sentiment === 0) continue;
    const flipped = i <= negatedUntil ? -sentiment : sentiment;
    if (i <= negatedUntil) {
      // The negation was used up by flipping this word.
      pendingNegations--;
      negatedUntil = -1;
    }
    if (flipped > 0) positives++;
    else negatives++;
  }
  const arousal =
    EXCLAMATION_AROUSAL * Math.min(exclamations, 3) +
    QUESTION_AROUSAL * Math.min(questions, 2) +
    SHOUT_AROUSAL * Math.min(shouted, 3) +
    HEDGE_AROUSAL * hedges;
  const valence = SENTIMENT_VALENCE * (positives - negatives) + NEGATION_VALENCE * pendingNegations;
  return {
    arousal: clampUnit(arousal),
    valence: clampUnit(valence),
    exclamations,
    questions,
    shouted,
    hedges,
    negations,
    positives,
    negatives,
  };
}
