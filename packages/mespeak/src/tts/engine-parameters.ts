/**
 * Turns a voice plus request hints (prosody, language) into eSpeak's parameters, and validates
 * voice settings.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError, type ProsodyHints } from '@argentum/core';
import type { EngineParameters } from '../internal/mespeak-engine';
import { MESPEAK_ENGINE_VOICES, MESPEAK_VARIANTS, type MespeakEngineVoice } from './mespeak-engine-voices';
import type { MespeakVoiceSettings } from './mespeak-voices';

/** eSpeak's speed limits, words per minute. */
export const MIN_SPEED_WPM = 80;
export const MAX_SPEED_WPM = 450;
/** The largest `prosody.rate` accepted. */
export const MAX_RATE = 4;
/** The largest `prosody.pitchSemitones` magnitude accepted (the engine's reach is smaller). */
export const MAX_PITCH_SEMITONES = 24;

/**
 * Measured pitch response of eSpeak's pitch parameter (median F0 of one sentence, voice en-us+m3):
 * [parameter, semitones relative to parameter 50]. The response is not a pure exponential, so
 * semitone shifts interpolate this table.
 */
const PITCH_RESPONSE: readonly (readonly [number, number])[] = [
  [0, -6.22],
  [20, -3.99],
  [35, -1.89],
  [50, 0],
  [65, 2.55],
  [80, 5.06],
  [99, 8.68],
];

/** Resolves one synthesis's eSpeak parameters. @internal */
export function resolveEngineParameters(
  voice: MespeakVoiceSettings,
  prosody: ProsodyHints | undefined,
  engineVoice: MespeakEngineVoice = voice.engineVoice,
): EngineParameters & { readonly speed: number } {
  const rate = prosody?.rate ?? 1;
  const semitones = prosody?.pitchSemitones ?? 0;
  checkNumber('prosody.rate', rate, { above: 0, max: MAX_RATE });
  checkNumber('prosody.pitchSemitones', semitones, { min: -MAX_PITCH_SEMITONES, max: MAX_PITCH_SEMITONES });
  if (prosody?.stability !== undefined)
    checkNumber('prosody.stability', prosody.stability, { min: 0, max: 1 });
  const basePitch = voice.pitch ?? 50;
  const pitch = semitones === 0 ? basePitch : pitchForSemitones(semitonesForPitch(basePitch) + semitones);
  const speed = Math.round(clamp((voice.speed ?? 175) * rate, MIN_SPEED_WPM, MAX_SPEED_WPM));
  return {
    engineVoice,
    variant: voice.variant,
    pitch: Math.round(clamp(pitch, 0, 99)),
    speed,
    amplitude: voice.amplitude ?? 100,
    wordGap: Math.round((voice.wordGapMs ?? 0) / 10),
  };
}

/**
 * Checks a voice definition; throws {@link InvalidArgumentError} naming the bad field.
 * @internal
 */
export function validateVoiceSettings(name: string, voice: MespeakVoiceSettings): void {
  const where = `voices.${name}`;
  if (typeof voice !== 'object' || voice === null) {
    throw new InvalidArgumentError(where, 'expected an object with at least an engineVoice.');
  }
  if (!(MESPEAK_ENGINE_VOICES as readonly string[]).includes(voice.engineVoice)) {
    throw new InvalidArgumentError(
      `${where}.engineVoice`,
      `unknown eSpeak voice ${JSON.stringify(voice.engineVoice)}: use one shipped with mespeak, ${MESPEAK_ENGINE_VOICES.join(', ')}.`,
    );
  }
  if (voice.variant !== undefined && !(MESPEAK_VARIANTS as readonly string[]).includes(voice.variant)) {
    throw new InvalidArgumentError(
      `${where}.variant`,
      `unknown variant ${JSON.stringify(voice.variant)}: use one of ${MESPEAK_VARIANTS.join(', ')}.`,
    );
  }
  if (voice.pitch !== undefined) checkNumber(`${where}.pitch`, voice.pitch, { min: 0, max: 99 });
  if (voice.speed !== undefined) {
    checkNumber(`${where}.speed`, voice.speed, { min: MIN_SPEED_WPM, max: MAX_SPEED_WPM });
  }
  if (voice.amplitude !== undefined) checkNumber(`${where}.amplitude`, voice.amplitude, { min: 0, max: 200 });
  if (voice.wordGapMs !== undefined)
    checkNumber(`${where}.wordGapMs`, voice.wordGapMs, { min: 0, max: 1000 });
}

/**
 * Maps a BCP 47 language tag onto a shipped eSpeak voice. English keeps the voice's own accent
 * unless the region asks for another (`en-US`, `en-GB`); `undefined` when mespeak has no voice
 * for the language.
 * @internal
 */
export function engineVoiceForLanguage(
  language: string,
  current: MespeakEngineVoice,
): MespeakEngineVoice | undefined {
  const [primary = '', region = ''] = language.toLowerCase().replace(/_/g, '-').split('-');
  if (primary === 'en') {
    if (region === '') return current.startsWith('en/') ? current : 'en/en-us';
    if (region === 'us') return 'en/en-us';
    if (region === 'gb' || region === 'uk')
      return current.startsWith('en/') && current !== 'en/en-us' ? current : 'en/en';
    return current.startsWith('en/') ? current : 'en/en';
  }
  if (primary === 'es') return region === '' || region === 'es' ? 'es' : 'es-la';
  if (primary === 'pt') return region === 'pt' ? 'pt-pt' : 'pt';
  if (primary === 'yue' || (primary === 'zh' && (region === 'hk' || region === 'yue'))) return 'zh-yue';
  if (primary === 'cmn') return 'zh';
  return (MESPEAK_ENGINE_VOICES as readonly string[]).includes(primary)
    ? (primary as MespeakEngineVoice)
    : undefined;
}

/**
 * Throws {@link InvalidArgumentError} unless `value` is a finite number within the bounds.
 * @internal
 */
export function checkNumber(
  argument: string,
  value: unknown,
  bounds: { min?: number; max?: number; above?: number; integer?: boolean },
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, `expected a finite number, got ${String(value)}.`);
  }
  if (bounds.integer && !Number.isInteger(value)) {
    throw new InvalidArgumentError(argument, `expected a whole number, got ${value}.`);
  }
  if (bounds.min !== undefined && value < bounds.min) {
    throw new InvalidArgumentError(argument, `expected at least ${bounds.min}, got ${value}.`);
  }
  if (bounds.above !== undefined && value <= bounds.above) {
    throw new InvalidArgumentError(argument, `expected more than ${bounds.above}, got ${value}.`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new InvalidArgumentError(argument, `expected at most ${bounds.max}, got ${value}.`);
  }
  return value;
}

function semitonesForPitch(pitch: number): number {
  return interpolate(PITCH_RESPONSE, pitch, 0, 1);
}

function pitchForSemitones(semitones: number): number {
  return interpolate(PITCH_RESPONSE, semitones, 1, 0);
}

/** Piecewise-linear lookup in a monotone table, clamped at both ends. */
function interpolate(
  table: readonly (readonly [number, number])[],
  x: number,
  from: 0 | 1,
  to: 0 | 1,
): number {
  const first = table[0]!;
  const last = table[table.length - 1]!;
  if (x <= first[from]) return first[to];
  if (x >= last[from]) return last[to];
  for (let i = 1; i < table.length; i++) {
    const a = table[i - 1]!;
    const b = table[i]!;
    if (x <= b[from]) return a[to] + ((x - a[from]) / (b[from] - a[from])) * (b[to] - a[to]);
  }
  return last[to];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
