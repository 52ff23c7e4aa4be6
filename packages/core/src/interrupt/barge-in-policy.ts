import { assertNumber } from '../internal/validate';
import {
  type BargeInPolicyOptions,
  type ResolvedBargeInOptions,
  resolveBargeInOptions,
} from './barge-in-options';
import { countWords, normalizeWord } from './barge-in-words';

/**
 * One barge-in, from the moment the agent's output was paused for the user's speech until it is
 * confirmed or resumed: what the user has said and for how long. A plain, immutable record;
 * {@link BargeInPolicy.update} returns a new one.
 *
 * @example
 * ```ts
 * const progress = policy.start('barge-in-1', { onsetAt: 1200, at: 1220 });
 * console.log(progress.userSpeaking, policy.voicedMs(progress, 1400)); // true 200
 * ```
 */
export interface BargeInProgress {
  /** A deterministic id, `barge-in-N`. */
  readonly id: string;
  /** The true onset of the speech that began it (the VAD's onset), scheduler ms. */
  readonly onsetAt: number;
  /** When it began: the VAD decision that paused the output, scheduler ms. */
  readonly startedAt: number;
  /** Whether the user is speaking (a VAD speech segment is open). */
  readonly userSpeaking: boolean;
  /** Voiced speech accumulated in closed stretches, ms (see {@link BargeInPolicy.voicedMs}). */
  readonly voicedMs: number;
  /** When the current voiced stretch began, or `undefined` between words and after the speech. */
  readonly voicedSince: number | undefined;
  /** When the user's speech was known to have ended, or `undefined` while speaking. */
  readonly silentSince: number | undefined;
  /** The final transcripts received so far, joined by spaces. */
  readonly finalText: string;
  /** The latest partial transcript after the last final (empty when none). */
  readonly partialText: string;
  /** Whether a final transcript arrived since the user last started speaking. */
  readonly finalReceived: boolean;
  /** Words in `finalText` + `partialText`. */
  readonly wordCount: number;
  /** Of those, the words that are not backchannels. */
  readonly interruptingWordCount: number;
}

/**
 * What the user did, as the barge-in rules see it. Times are scheduler ms.
 * - `speech-start`: a VAD speech segment opened (`onsetAt` = its true onset);
 * - `speech-pause` / `speech-resume`: inside the segment, the voice stopped (a gap between words)
 *   or came back — only voiced time counts toward the minimum duration;
 * - `speech-end`: the segment closed (`at` = when that was known);
 * - `transcript`: the STT's partial or final text.
 *
 * @example
 * ```ts
 * const signal: BargeInSignal = { type: 'transcript', at: 1800, text: 'wait, stop', final: false };
 * ```
 */
export type BargeInSignal =
  | {
      /** A VAD speech segment opened. */
      type: 'speech-start';
      /** When it was detected, scheduler ms. */
      at: number;
      /** Its true onset, scheduler ms. */
      onsetAt: number;
    }
  | {
      /** The voice stopped inside the segment. */
      type: 'speech-pause';
      /** Where, scheduler ms. */
      at: number;
    }
  | {
      /** The voice came back inside the segment. */
      type: 'speech-resume';
      /** Where, scheduler ms. */
      at: number;
    }
  | {
      /** The segment closed. */
      type: 'speech-end';
      /** When that was known, scheduler ms. */
      at: number;
    }
  | {
      /** A transcript arrived. */
      type: 'transcript';
      /** When, scheduler ms. */
      at: number;
      /** Its text (a partial replaces the previous partial; finals are joined). */
      text: string;
      /** Whether it is final. */
      final: boolean;
    };

/**
 * Why a barge-in was confirmed as an interruption:
 * `min-speech` (enough voiced speech) or `min-words` (enough transcribed words).
 *
 * @example
 * ```ts
 * const reason: BargeInConfirmReason = 'min-words';
 * ```
 */
export type BargeInConfirmReason = 'min-speech' | 'min-words';

/**
 * Why a barge-in was judged a false interruption (the agent resumes):
 * - `timeout`: no deciding transcript within the false-interruption timeout after the user stopped;
 * - `backchannel`: the final transcript held only backchannel words;
 * - `too-few-words`: it held fewer interrupting words than required;
 * - `no-words`: it was empty (a cough, a noise).
 *
 * @example
 * ```ts
 * const reason: BargeInResumeReason = 'backchannel';
 * ```
 */
export type BargeInResumeReason = 'timeout' | 'backchannel' | 'too-few-words' | 'no-words';

/**
 * The policy's judgement of a {@link BargeInProgress} at a given time: keep waiting (until
 * `wakeAt`, when the judgement may change with no new signal), confirm, or resume.
 *
 * @example
 * ```ts
 * const verdict = policy.decide(progress, clock.now());
 * if (verdict.type === 'wait' && verdict.wakeAt !== undefined) scheduleCheck(verdict.wakeAt);
 * ```
 */
export type BargeInVerdict =
  | {
      /** Keep waiting. */
      type: 'wait';
      /** When to decide again without a new signal (scheduler ms), or `undefined` to wait for one. */
      wakeAt: number | undefined;
    }
  | {
      /** Confirm the interruption: cancel the reply. */
      type: 'confirm';
      /** The rule that confirmed. */
      reason: BargeInConfirmReason;
    }
  | {
      /** A false interruption: resume the agent. */
      type: 'resume';
      /** The rule that decided. */
      reason: BargeInResumeReason;
    };

/**
 * The barge-in rules of a voice agent, as pure functions of a {@link BargeInProgress} and the
 * time — no timers, no state of its own (the voice session keeps the progress and schedules the
 * checks; {@link reduceSession} applies the verdicts):
 *
 * 1. **Pause**: user speech while the agent holds the turn pauses the output at once — unless its
 *    onset falls in the echo warm-up window right after the agent's audio started
 *    ({@link BargeInPolicy.isEcho}).
 * 2. **Confirm** when the transcript holds `minWords` words that are not backchannels, or when
 *    the voiced speech reaches `minSpeechDurationMs` (with a backchannel list: and the transcript
 *    holds at least one word that is not a backchannel).
 * 3. **Resume** (a false interruption) once the user has stopped and either a final transcript
 *    arrived without confirming, or `falseInterruptionTimeoutMs` passed with none.
 *
 * @example
 * ```ts
 * import { BargeInPolicy, DEFAULT_BACKCHANNEL_WORDS } from '@argentum/core';
 *
 * const policy = new BargeInPolicy({ backchannelWords: DEFAULT_BACKCHANNEL_WORDS });
 * let progress = policy.start('barge-in-1', { onsetAt: 1000, at: 1020 });
 * progress = policy.update(progress, { type: 'speech-end', at: 1400 });
 * progress = policy.update(progress, { type: 'transcript', at: 1450, text: 'Uh-huh.', final: true });
 * console.log(policy.decide(progress, 1450)); // { type: 'resume', reason: 'backchannel' }
 * ```
 */
export class BargeInPolicy {
  /** Voiced speech that confirms an interruption, ms. */
  readonly minSpeechDurationMs: number;
  /** Non-backchannel words that confirm an interruption (0: rule off). */
  readonly minWords: number;
  /** Wait for a transcript after the user stops, ms. */
  readonly falseInterruptionTimeoutMs: number;
  /** Echo window after the agent's audio starts, ms. */
  readonly echoWarmupMs: number;
  /** The backchannel words, as given. */
  readonly backchannelWords: readonly string[];
  private readonly backchannels: ReadonlySet<string>;

  /**
   * @param options - the rule parameters; see {@link BargeInPolicyOptions} for the defaults.
   * @throws {@link InvalidArgumentError} for a negative duration, a fractional word count or a
   * backchannel list that is not an array of strings.
   */
  constructor(options: BargeInPolicyOptions = {}) {
    const resolved: ResolvedBargeInOptions = resolveBargeInOptions(options);
    this.minSpeechDurationMs = resolved.minSpeechDurationMs;
    this.minWords = resolved.minWords;
    this.falseInterruptionTimeoutMs = resolved.falseInterruptionTimeoutMs;
    this.echoWarmupMs = resolved.echoWarmupMs;
    this.backchannelWords = resolved.backchannelWords;
    this.backchannels = new Set(
      resolved.backchannelWords.map(normalizeWord).filter((word) => word.length > 0),
    );
    Object.freeze(this);
  }

  /**
   * Whether speech with this onset is echo of the agent's own voice: it began within
   * `echoWarmupMs` after the agent's audio started.
   *
   * @param onsetAt - the speech's true onset, scheduler ms.
   * @param agentAudioStartedAt - when the agent's current audio started, or `undefined` if none plays.
   * @returns `true` when the speech must be ignored.
   * @example
   * ```ts
   * policy.isEcho(1100, 1000); // true with the default 300 ms window
   * ```
   */
  isEcho(onsetAt: number, agentAudioStartedAt: number | undefined): boolean {
    if (agentAudioStartedAt === undefined) return false;
    return onsetAt >= agentAudioStartedAt && onsetAt < agentAudioStartedAt + this.echoWarmupMs;
  }

  /**
   * Counts the words of a transcript and how many of them are not backchannels ("uh huh" and
   * "uh-huh" count as one backchannel).
   *
   * @param text - a transcript.
   * @returns the word counts.
   * @example
   * ```ts
   * new BargeInPolicy({ backchannelWords: ['yeah'] }).countWords('Yeah, wait.'); // { total: 2, interrupting: 1 }
   * ```
   */
  countWords(text: string): {
    /** Every word. */
    total: number;
    /** The words that are not backchannels. */
    interrupting: number;
  } {
    return countWords(text, this.backchannels);
  }

  /**
   * Begins a barge-in for speech that started at `onsetAt` and was detected at `at`.
   *
   * @param id - the barge-in's id.
   * @param speech - the speech's true onset and the detection time, scheduler ms.
   * @returns the new progress: speaking, voiced since the onset, no transcript.
   * @example
   * ```ts
   * const progress = policy.start('barge-in-1', { onsetAt: 980, at: 1000 });
   * ```
   */
  start(id: string, speech: { onsetAt: number; at: number }): BargeInProgress {
    assertNumber('onsetAt', speech.onsetAt);
    assertNumber('at', speech.at);
    return {
      id,
      onsetAt: speech.onsetAt,
      startedAt: speech.at,
      userSpeaking: true,
      voicedMs: 0,
      voicedSince: Math.min(speech.onsetAt, speech.at),
      silentSince: undefined,
      finalText: '',
      partialText: '',
      finalReceived: false,
      wordCount: 0,
      interruptingWordCount: 0,
    };
  }

  /**
   * Applies one signal to a progress record.
   *
   * @param progress - the current progress.
   * @param signal - what the user did.
   * @returns the new progress (the input is not modified).
   * @example
   * ```ts
   * progress = policy.update(progress, { type: 'speech-pause', at: 1350 });
   * ```
   */
  update(progress: BargeInProgress, signal: BargeInSignal): BargeInProgress {
    switch (signal.type) {
      case 'speech-start':
        return {
          ...progress,
          userSpeaking: true,
          voicedMs: this.closeVoiced(progress, signal.onsetAt),
          voicedSince: signal.onsetAt,
          silentSince: undefined,
          finalReceived: false,
        };
      case 'speech-pause':
        if (progress.voicedSince === undefined) return progress;
        return { ...progress, voicedMs: this.closeVoiced(progress, signal.at), voicedSince: undefined };
      case 'speech-resume':
        if (!progress.userSpeaking || progress.voicedSince !== undefined) return progress;
        return { ...progress, voicedSince: signal.at };
      case 'speech-end':
        if (!progress.userSpeaking) return progress;
        return {
          ...progress,
          userSpeaking: false,
          voicedMs: this.closeVoiced(progress, signal.at),
          voicedSince: undefined,
          silentSince: signal.at,
        };
      case 'transcript': {
        const text = signal.text.trim();
        const finalText = signal.final ? joinText(progress.finalText, text) : progress.finalText;
        const partialText = signal.final ? '' : text;
        const counts = countWords(joinText(finalText, partialText), this.backchannels, partialText !== '');
        return {
          ...progress,
          finalText,
          partialText,
          finalReceived: progress.finalReceived || signal.final,
          wordCount: counts.total,
          interruptingWordCount: counts.interrupting,
        };
      }
    }
  }

  /**
   * The voiced speech of a barge-in up to `now`, ms.
   *
   * @param progress - the progress.
   * @param now - scheduler ms.
   * @returns closed voiced stretches plus the open one up to `now`.
   * @example
   * ```ts
   * policy.voicedMs(progress, clock.now());
   * ```
   */
  voicedMs(progress: BargeInProgress, now: number): number {
    return this.closeVoiced(progress, now);
  }

  /**
   * Judges a barge-in at time `now`: confirm, resume, or wait (and until when).
   *
   * @param progress - the progress.
   * @param now - scheduler ms.
   * @returns the verdict.
   * @example
   * ```ts
   * const verdict = policy.decide(progress, 1500);
   * if (verdict.type === 'confirm') controller.stopNow();
   * ```
   */
  decide(progress: BargeInProgress, now: number): BargeInVerdict {
    const gated = this.backchannels.size > 0;
    if (this.minWords > 0 && progress.interruptingWordCount >= this.minWords) {
      return { type: 'confirm', reason: 'min-words' };
    }
    const durationCounts = !gated || progress.interruptingWordCount > 0;
    if (durationCounts && this.voicedMs(progress, now) >= this.minSpeechDurationMs) {
      return { type: 'confirm', reason: 'min-speech' };
    }
    if (progress.userSpeaking) {
      if (!durationCounts || progress.voicedSince === undefined) return { type: 'wait', wakeAt: undefined };
      return { type: 'wait', wakeAt: progress.voicedSince + (this.minSpeechDurationMs - progress.voicedMs) };
    }
    if (progress.finalReceived && progress.partialText === '') {
      if (progress.wordCount === 0) return { type: 'resume', reason: 'no-words' };
      if (progress.interruptingWordCount === 0) return { type: 'resume', reason: 'backchannel' };
      return { type: 'resume', reason: 'too-few-words' };
    }
    const deadline = (progress.silentSince ?? now) + this.falseInterruptionTimeoutMs;
    if (now >= deadline) return { type: 'resume', reason: 'timeout' };
    return { type: 'wait', wakeAt: deadline };
  }

  private closeVoiced(progress: BargeInProgress, at: number): number {
    if (progress.voicedSince === undefined) return progress.voicedMs;
    return progress.voicedMs + Math.max(0, at - progress.voicedSince);
  }
}

function joinText(left: string, right: string): string {
  if (left === '') return right;
  if (right === '') return left;
  return `${left} ${right}`;
}
