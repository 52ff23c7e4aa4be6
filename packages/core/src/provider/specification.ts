import type { SchedulerLike } from 'rxjs';

/**
 * The version of the provider specification that models implement. A breaking change to any
 * interface in `provider/` bumps it; core refuses models of a version it does not know.
 */
export type SpecificationVersion = 'v1';

/** The version this copy of core implements. */
export const SPECIFICATION_VERSION: SpecificationVersion = 'v1';

/** Fields every model carries, whatever its capability. */
export interface ModelIdentity {
  /** The spec version the model implements. */
  readonly specificationVersion: SpecificationVersion;
  /** The provider's name, e.g. `openai`, `elevenlabs`, `argentum` for embedded models. */
  readonly provider: string;
  /** The vendor's model id, e.g. `gpt-4o-mini` or `eleven_flash_v2_5`. */
  readonly modelId: string;
}

/** Per-call options shared by every model call. */
export interface CallOptions {
  /**
   * The clock that stamps each event's `at`; defaults to the real-time scheduler. Pass a virtual
   * clock's scheduler to run a pipeline in virtual time.
   */
  scheduler?: SchedulerLike;
  /** Extra HTTP headers or wire fields for this call, passed through untouched. */
  headers?: Record<string, string>;
}
