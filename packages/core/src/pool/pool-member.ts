import type { Observable } from 'rxjs';
import type { CallOptions } from '../provider/specification';

/**
 * What a pool member can do, declared up front so the pool can route to it before it is loaded.
 * A field left out means "no restriction" (`languages` unset: any language).
 *
 * @example
 * ```ts
 * const capabilities: PoolMemberCapabilities = {
 *   features: ['streaming-input', 'aligned-marks'],
 *   languages: ['en', 'de'],
 *   voices: ['Rachel', 'Adam'],
 * };
 * ```
 */
export interface PoolMemberCapabilities {
  /**
   * Feature flags a request may require, free-form kebab-case: e.g. `streaming-input`,
   * `aligned-marks`, `multi-context-cancel`, `tools`, `partials`.
   */
  features?: readonly string[];
  /** Languages it speaks (BCP 47; `en` matches a request for `en-US`). Unset: any. */
  languages?: readonly string[];
  /** Voices it has. Unset: any voice is passed through. */
  voices?: readonly string[];
}

/**
 * What a request requires of the member that serves it.
 *
 * @example
 * ```ts
 * const requires: PoolRequirements = { features: ['aligned-marks'], language: 'en-GB', maxCostPerRequest: 2 };
 * ```
 */
export interface PoolRequirements {
  /** Every one of these features. */
  features?: readonly string[];
  /** This language (BCP 47); a member declaring `en` serves `en-GB`. */
  language?: string;
  /** This voice. */
  voice?: string;
  /** Members whose `costPerRequest` is above this are not used. */
  maxCostPerRequest?: number;
}

/**
 * One member of a {@link ProviderPool}: how to create its model, what it can do, what it costs,
 * and how many requests it may serve at once.
 *
 * @example
 * ```ts
 * const member: PoolMemberOptions<TtsModel> = {
 *   id: 'elevenlabs-flash',
 *   create: () => elevenlabs.speech('eleven_flash_v2_5', { voiceId }),
 *   capabilities: { features: ['streaming-input', 'aligned-marks'], languages: ['en'] },
 *   costPerRequest: 3,
 *   maxConcurrency: 20,
 *   warmUp: (model, options) => model.synthesize({ text: 'Hi.' }, options),
 * };
 * ```
 */
export interface PoolMemberOptions<TModel> {
  /** A unique id within the pool, e.g. `elevenlabs-flash`. Errors and events name members by it. */
  id: string;
  /** Creates the model instance when the member is loaded (lazily, on first use, or by `preload`). */
  create: () => TModel | PromiseLike<TModel>;
  /** Releases the model when it is unloaded (idle timeout, LRU eviction, `unload`, `dispose`). */
  dispose?: (model: TModel) => void | PromiseLike<void>;
  /** What it can do; see {@link PoolMemberCapabilities}. Default: no features, any language and voice. */
  capabilities?: PoolMemberCapabilities;
  /** Relative cost of one request (any unit, the same across members), ≥ 0. Default 0. */
  costPerRequest?: number;
  /** Requests it may serve at once, integer ≥ 1. Default: unlimited. */
  maxConcurrency?: number;
  /**
   * A short synthetic request run once right after creation; loading completes when it completes
   * and fails when it fails. Its time to first event is recorded as the member's first latency
   * sample. Unsubscribing from it must cancel it.
   */
  warmUp?: (model: TModel, options: CallOptions) => Observable<unknown>;
}

function languageMatches(supported: readonly string[], wanted: string): boolean {
  const wantedLower = wanted.toLowerCase();
  const primary = wantedLower.split('-')[0];
  return supported.some((language) => {
    const lower = language.toLowerCase();
    return lower === wantedLower || lower === primary;
  });
}

/**
 * What `member` lacks of `requires`, or `undefined` when it qualifies.
 * @internal
 */
export function missingCapability(
  capabilities: PoolMemberCapabilities,
  costPerRequest: number,
  requires: PoolRequirements,
): string | undefined {
  const missing: string[] = [];
  const features = capabilities.features ?? [];
  for (const feature of requires.features ?? []) {
    if (!features.includes(feature)) missing.push(`feature '${feature}'`);
  }
  if (
    requires.language !== undefined &&
    capabilities.languages !== undefined &&
    !languageMatches(capabilities.languages, requires.language)
  ) {
    missing.push(`language '${requires.language}'`);
  }
  if (
    requires.voice !== undefined &&
    capabilities.voices !== undefined &&
    !capabilities.voices.includes(requires.voice)
  ) {
    missing.push(`voice '${requires.voice}'`);
  }
  if (requires.maxCostPerRequest !== undefined && costPerRequest > requires.maxCostPerRequest) {
    missing.push(`a cost within ${requires.maxCostPerRequest} (costs ${costPerRequest})`);
  }
  return missing.length === 0 ? undefined : missing.join(', ');
}
