/**
 * Loads and drives the mespeak engine (eSpeak compiled to JavaScript) in Node.
 *
 * Loading: nothing happens at import time. The first synthesis requires the CommonJS wrapper
 * (`mespeak/src/index.js`, which builds an engine instance), installs the phoneme data
 * (`mespeak/src/mespeak_config.json`) and each voice module on first use
 * (`mespeak/voices/…json`). The JSON files and the 4.9 MB engine script are parsed once and stay
 * cached by Node's module loader.
 *
 * Recycling: the engine's C heap is a fixed 50 MB with a bump allocator whose `free()` does
 * nothing, so every call leaks about 645 kB (the dictionary and phoneme tables are re-read each
 * run). Past roughly 79 calls the heap overflows, the engine reads garbage ("Bad data") and V8
 * aborts the whole process — uncatchable. We therefore re-create the instance every
 * {@link RECYCLE_AFTER_CALLS} calls (≈ 25 ms, amortized to well under 1 ms per call) and after any
 * failed call. A new instance is obtained by re-evaluating the wrapper module (Node's documented
 * `require.cache`), restoring whatever cache entry was there, so other users of `mespeak` in the
 * process keep theirs.
 *
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { MespeakError } from '../mespeak-error';
import type { MespeakModule } from './mespeak-module';

/** Calls served by one engine instance before it is replaced (the heap fills up after ~79). */
export const RECYCLE_AFTER_CALLS = 40;

/** The message the wrapper prints whenever it is loaded outside a browser. */
const BROWSER_WARNING = 'meSpeak: Not in browser';

/** Parameters of one synthesis call, already in eSpeak's units. @internal */
export interface EngineParameters {
  /** A shipped voice id, e.g. `en/en-us`. */
  readonly engineVoice: string;
  /** A built-in variant, or `undefined` for the voice's own. */
  readonly variant: string | undefined;
  /** 0–99. */
  readonly pitch: number;
  /** Words per minute, 80–450. */
  readonly speed: number;
  /** 0–200. */
  readonly amplitude: number;
  /** Extra gap between words in units of 10 ms. */
  readonly wordGap: number;
}

/** A synthesizer that turns one piece of text into one WAV file. @internal */
export interface SpeechEngine {
  /**
   * Synthesizes `text` (already cleaned: no markup, non-empty) and returns the WAV file's bytes
   * (22 050 Hz, mono, 16-bit PCM).
   */
  synthesize(text: string, parameters: EngineParameters): Uint8Array;
}

interface LoadedFiles {
  readonly require: NodeJS.Require;
  readonly entry: string;
  readonly config: unknown;
  readonly voices: Map<string, unknown>;
}

/**
 * The process-wide mespeak engine: one at most, since synthesis is synchronous and the wrapper
 * keeps module-level state. Created lazily by {@link getMespeakEngine}.
 */
class MespeakEngine implements SpeechEngine {
  #files: LoadedFiles | undefined;
  #instance: MespeakModule | undefined;
  #calls = 0;
  /** Instances created so far (for tests and diagnostics). */
  instancesCreated = 0;

  synthesize(text: string, parameters: EngineParameters): Uint8Array {
    if (this.#instance === undefined || this.#calls >= RECYCLE_AFTER_CALLS) this.#renew();
    const instance = this.#instance!;
    this.#ensureVoice(instance, parameters.engineVoice);
    this.#calls++;
    let wav: number[] | null;
    try {
      // A leading space keeps text that starts with '-' from being parsed as a command-line option.
      wav = instance.speak(` ${text}`, {
        voice: parameters.engineVoice,
        variant: parameters.variant,
        pitch: parameters.pitch,
        speed: parameters.speed,
        amplitude: parameters.amplitude,
        wordgap: parameters.wordGap,
        rawdata: 'array',
      });
    } catch (error) {
      this.#instance = undefined;
      throw new MespeakError(`the engine failed while speaking ${JSON.stringify(shorten(text))}.`, {
        cause: error,
      });
    }
    if (!Array.isArray(wav) || wav.length < 44) {
      this.#instance = undefined;
      throw new MespeakError(
        `the engine returned no audio for ${JSON.stringify(shorten(text))}; its data files may be damaged (reinstall mespeak 2.0.2).`,
      );
    }
    return Uint8Array.from(wav);
  }

  /** Replaces the engine instance with a fresh one that has the config and used voices loaded. */
  #renew(): void {
    const files = this.#loadFiles();
    const { require, entry } = files;
    const previous = require.cache[entry];
    delete require.cache[entry];
    let instance: MespeakModule;
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith(BROWSER_WARNING)) return;
      warn.apply(console, args);
    };
    try {
      instance = require(entry) as MespeakModule;
      instance.loadConfig(files.config);
    } catch (error) {
      throw new MespeakError('could not start the mespeak engine; check that mespeak 2.0.2 is installed.', {
        cause: error,
      });
    } finally {
      console.warn = warn;
      if (previous === undefined) delete require.cache[entry];
      else require.cache[entry] = previous;
    }
    for (const voice of files.voices.values()) instance.loadVoice(voice);
    this.#instance = instance;
    this.#calls = 0;
    this.instancesCreated++;
  }

  #ensureVoice(instance: MespeakModule, engineVoice: string): void {
    if (instance.isVoiceLoaded(engineVoice)) return;
    const files = this.#files!;
    let voice = files.voices.get(engineVoice);
    if (voice === undefined) {
      try {
        voice = files.require(`mespeak/voices/${engineVoice}.json`);
      } catch (error) {
        throw new MespeakError(`could not load the voice module ${engineVoice} from the mespeak package.`, {
          cause: error,
        });
      }
      files.voices.set(engineVoice, voice);
    }
    instance.loadVoice(voice);
  }

  #loadFiles(): LoadedFiles {
    if (this.#files !== undefined) return this.#files;
    try {
      const require = createRequire(import.meta.url);
      const entry = require.resolve('mespeak');
      // Parse the engine script once; the wrapper re-evaluated on each renewal reuses it.
      require('mespeak/src/ESpeak.js');
      const config = require('mespeak/src/mespeak_config.json');
      this.#files = { require, entry, config, voices: new Map() };
      return this.#files;
    } catch (error) {
      throw new MespeakError(
        'could not load the mespeak package; install it (`npm install mespeak@2.0.2`) next to @argentum/mespeak.',
        { cause: error },
      );
    }
  }
}

let shared: MespeakEngine | undefined;

/**
 * The shared engine, created on first use (no work at import time).
 * @internal
 */
export function getMespeakEngine(): SpeechEngine & { readonly instancesCreated: number } {
  shared ??= new MespeakEngine();
  return shared;
}

function shorten(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 57)}…`;
}
