/**
 * The part of the `mespeak` npm package (2.0.2, CommonJS, no bundled types) that this package uses.
 * mespeak is loaded at run time with `createRequire`, so these types are the only declaration it needs.
 *
 * @internal
 * @module
 */

/** Options of `meSpeak.speak()` that this package passes. @internal */
export interface MespeakSpeakOptions {
  /** A loaded voice id, e.g. `en/en-us`. */
  voice: string;
  /** A voice variant name, e.g. `m3` or `f4` (eSpeak's `+variant`). */
  variant?: string;
  /** eSpeak pitch, 0–99 (default 50). */
  pitch: number;
  /** eSpeak speed in words per minute, 80–450 (default 175). */
  speed: number;
  /** eSpeak amplitude, 0–200 (default 100). */
  amplitude: number;
  /** Extra gap between words, in units of 10 ms. */
  wordgap: number;
  /** `'array'`: return the WAV file as a plain array of unsigned bytes instead of playing it. */
  rawdata: 'array';
}

/** The mespeak wrapper module (`mespeak/src/index.js`). @internal */
export interface MespeakModule {
  /** Installs the engine's phoneme and intonation data (`mespeak/src/mespeak_config.json`). */
  loadConfig(config: unknown): void;
  /** Installs a voice module (`mespeak/voices/…json`): its voice file and dictionary. */
  loadVoice(voice: unknown): void;
  /** Whether a voice id has been loaded into this instance. */
  isVoiceLoaded(voiceId: string): boolean;
  /** Synthesizes `text`; with `rawdata: 'array'` returns the WAV bytes, or `null` when not configured. */
  speak(text: string, options: MespeakSpeakOptions): number[] | null;
}
