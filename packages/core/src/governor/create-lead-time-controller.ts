import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { AimdLeadTimeController, type AimdLeadTimeControllerOptions } from './aimd-lead-time-controller';
import type { LeadTimeController } from './lead-time-controller';
import {
  RobbinsMonroLeadTimeController,
  type RobbinsMonroLeadTimeControllerOptions,
} from './robbins-monro-lead-time-controller';

/**
 * Options of {@link createLeadTimeController}: a strategy and that strategy's options.
 *
 * @example
 * ```ts
 * const aimd: CreateLeadTimeControllerOptions = { strategy: 'aimd', increase: 'multiplicative', increaseFactor: 1.2 };
 * const tracker: CreateLeadTimeControllerOptions = { strategy: 'robbins-monro', initialGain: 0.3 };
 * ```
 */
export type CreateLeadTimeControllerOptions =
  | ({
      /** {@link AimdLeadTimeController} (the default). */
      strategy?: 'aimd';
    } & AimdLeadTimeControllerOptions)
  | ({
      /** {@link RobbinsMonroLeadTimeController}. */
      strategy: 'robbins-monro';
    } & RobbinsMonroLeadTimeControllerOptions);

/**
 * Creates a {@link LeadTimeController} of the chosen strategy.
 *
 * @param options - `strategy` (`aimd` by default, or `robbins-monro`) and its options.
 * @returns a fresh controller.
 * @throws InvalidArgumentError for an unknown strategy or an out-of-range option.
 * @example
 * ```ts
 * import { createLeadTimeController } from '@argentum/core';
 *
 * const controller = createLeadTimeController({ strategy: 'robbins-monro', targetMissRate: 0.05 });
 * controller.observe({ readyAtMs: 1_030, deadlineMs: 1_000 }); // a miss: the lead time grows
 * ```
 */
export function createLeadTimeController(options: CreateLeadTimeControllerOptions = {}): LeadTimeController {
  const strategy = options.strategy ?? 'aimd';
  if (strategy === 'aimd') return new AimdLeadTimeController(options as AimdLeadTimeControllerOptions);
  if (strategy === 'robbins-monro') {
    return new RobbinsMonroLeadTimeController(options as RobbinsMonroLeadTimeControllerOptions);
  }
  throw new InvalidArgumentError('strategy', `expected 'aimd' or 'robbins-monro', got ${String(strategy)}.`);
}
