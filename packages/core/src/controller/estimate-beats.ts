import { resolveVoiceProfile, type VoiceProfile } from './voice-profile';

/**
 * A word or sentence boundary estimated from text by {@link estimateBeats}.
 *
 * @example
 * ```ts
 * const first: EstimatedBeat | undefined = estimateBeats('Hi there.').beats[0]; // the sentence beat
 * ```
 */
export interface EstimatedBeat {
  /** Word or sentence. */
  kind: 'word' | 'sentence';
  /** The word (with its punctuation) or the whole sentence. */
  text: string;
  /** Where it starts, ms from the start of the utterance. */
  offsetMs: number;
  /** How long its audio lasts, ms (breaks excluded). */
  durationMs: number;
}

/**
 * The result of {@link estimateBeats}.
 *
 * @example
 * ```ts
 * const { beats, durationMs }: BeatEstimate = estimateBeats('Hi there. Bye.');
 * ```
 */
export interface BeatEstimate {
  /**
   * The beats in order of offset; a sentence beat comes right before the word beat of its first
   * word (same offset).
   */
  beats: EstimatedBeat[];
  /** The utterance's duration, ms: from the first word's start to the last word's end. */
  durationMs: number;
}

const SENTENCE_END = /[.!?…]+["'”’)\]]*$/u;

/**
 * Estimates when each word and sentence of a text starts when spoken by a voice with the given
 * profile: each word takes `1000 / wordsPerSecond − wordBreakMs` ms of audio, followed by
 * `wordBreakMs` of silence, or `sentenceBreakMs` after a sentence's last word (a word ending in
 * `.`, `!`, `?` or `…`, optionally followed by a closing quote or bracket). Words are split on
 * whitespace. The utterance ends with its last word (no trailing break).
 *
 * @param text - the text to speak.
 * @param profile - the voice's pace (missing fields from {@link DEFAULT_VOICE_PROFILE}).
 * @returns the beats and the total duration.
 * @throws {@link InvalidArgumentError} for an invalid profile.
 * @example
 * ```ts
 * const { beats, durationMs } = estimateBeats('Hello there. How are you?', { wordsPerSecond: 2.5 });
 * // beats: sentence 'Hello there.' @0, word 'Hello' @0, word 'there.' @400,
 * //        sentence 'How are you?' @1090, word 'How' @1090, …; durationMs 2230
 * ```
 */
export function estimateBeats(text: string, profile: Partial<VoiceProfile> = {}): BeatEstimate {
  const voice = resolveVoiceProfile(profile);
  const slotMs = 1000 / voice.wordsPerSecond;
  const wordMs = slotMs - voice.wordBreakMs;
  const words = text.split(/\s+/u).filter((word) => word.length > 0);
  const beats: EstimatedBeat[] = [];
  let offsetMs = 0;
  let sentenceWords: string[] = [];
  let sentenceBeat: EstimatedBeat | undefined;
  const closeSentence = (endMs: number): void => {
    if (sentenceBeat === undefined) return;
    sentenceBeat.text = sentenceWords.join(' ');
    sentenceBeat.durationMs = endMs - sentenceBeat.offsetMs;
    sentenceBeat = undefined;
    sentenceWords = [];
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (sentenceBeat === undefined) {
      sentenceBeat = { kind: 'sentence', text: '', offsetMs, durationMs: 0 };
      beats.push(sentenceBeat);
    }
    beats.push({ kind: 'word', text: word, offsetMs, durationMs: wordMs });
    sentenceWords.push(word);
    const endMs = offsetMs + wordMs;
    const endsSentence = SENTENCE_END.test(word);
    if (endsSentence || i === words.length - 1) closeSentence(endMs);
    offsetMs = endMs + (endsSentence ? voice.sentenceBreakMs : voice.wordBreakMs);
  }
  const last = beats.at(-1);
  return { beats, durationMs: last === undefined ? 0 : last.offsetMs + last.durationMs };
}
