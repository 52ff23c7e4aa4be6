import type { AudioSegment } from './audio-controller';
import { AudioControllerBase } from './audio-controller-base';
import type { AudioControllerOptions, SegmentSource } from './audio-controller-options';
import { estimateBeats } from './estimate-beats';
import { simulatedSpeechEvents } from './simulated-speech';
import { createVoiceLookup, type VoiceProfile, type VoiceProfileOptions } from './voice-profile';

/**
 * Options of {@link SimAudioController}.
 *
 * @example
 * ```ts
 * const options: SimAudioControllerOptions = { sampleRate: 16000, voices: { ada: { wordsPerSecond: 3 } } };
 * ```
 */
export interface SimAudioControllerOptions extends AudioControllerOptions, VoiceProfileOptions {}

/**
 * An {@link AudioController} for offline runs and tests: text segments are "spoken" by a simulated
 * voice — beats estimated from the text with the segment's {@link VoiceProfile} (words per second,
 * word and sentence breaks; see {@link estimateBeats}) and a quiet tone while each word lasts — and
 * everything is paced by the injected scheduler, so under a virtual clock a whole conversation
 * plays in a fraction of a second and replays identically. TTS-stream segments play as in the
 * {@link StreamingAudioController}.
 *
 * The voice profile of a text segment is `voices[segment.voice]`, else `voices[segment.speaker]`,
 * else `voiceProfile`, each on top of {@link DEFAULT_VOICE_PROFILE}.
 *
 * @example
 * ```ts
 * import { SimAudioController, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const controller = new SimAudioController({
 *   sampleRate: 16000,
 *   scheduler: clock.scheduler,
 *   voices: { ada: { wordsPerSecond: 3, toneHz: 220 }, bob: { toneHz: 140 } },
 * });
 * controller.play({ kind: 'text', speaker: 'ada', text: 'Two words. Then three more.' }).subscribe((event) => {
 *   if (event.type === 'beat') console.log(event.kind, event.text, event.actualAt);
 * });
 * clock.flush(); // the whole segment plays in virtual time
 * ```
 */
export class SimAudioController extends AudioControllerBase {
  private readonly voiceOf: (voice: string | undefined, speaker: string) => VoiceProfile;

  /**
   * @param options - format, clock, voice profiles and the shared controller options.
   * @throws {@link InvalidArgumentError} for an invalid option or voice profile;
   * {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format.
   */
  constructor(options: SimAudioControllerOptions) {
    super(options);
    this.voiceOf = createVoiceLookup(options);
  }

  /**
   * The voice profile a segment of this voice and speaker would use.
   *
   * @param voice - the segment's `voice`, if any.
   * @param speaker - the segment's speaker.
   * @returns the complete profile.
   * @example
   * ```ts
   * controller.voiceProfile(undefined, 'ada').wordsPerSecond; // 3
   * ```
   */
  voiceProfile(voice: string | undefined, speaker: string): VoiceProfile {
    return this.voiceOf(voice, speaker);
  }

  /**
   * Text becomes simulated speech; a TTS stream plays as given (sentence beats estimated with
   * this controller's voice profiles when the segment asks for them).
   *
   * @param segment - the validated segment.
   * @returns its source.
   */
  protected openSource(segment: AudioSegment): SegmentSource {
    const profile = this.voiceOf(segment.voice, segment.speaker);
    if (segment.kind === 'text') {
      const estimate = estimateBeats(segment.text, profile);
      return {
        events: simulatedSpeechEvents(
          estimate,
          profile,
          this.format.sampleRate,
          this.frameDurationMs,
          this.scheduler,
        ),
      };
    }
    return ttsSegmentSource(segment, profile);
  }
}

/**
 * The source of a TTS-stream segment: its events, with sentence estimates per its `beats` mode.
 * @internal
 */
export function ttsSegmentSource(
  segment: Extract<AudioSegment, { kind: 'tts' }>,
  profile: VoiceProfile,
): SegmentSource {
  const mode = segment.beats ?? (segment.text === undefined ? 'marks' : 'auto');
  if (mode === 'marks' || segment.text === undefined) return { events: segment.events };
  const estimate = estimateBeats(segment.text, profile);
  return {
    events: segment.events,
    estimatedBeats: estimate.beats.filter((beat) => beat.kind === 'sentence'),
    estimatedDurationMs: estimate.durationMs,
    providerMarks: mode === 'auto' ? 'prefer' : 'ignore',
  };
}
