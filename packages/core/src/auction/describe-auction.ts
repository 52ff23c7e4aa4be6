import type { AuctionResult } from './auction-types';

const REASON_TEXT = {
  'no-bids': 'nobody bid',
  'single-bid': 'it was the only bid',
  'highest-bid': 'it had the highest effective bid',
  'tie-break-talk-share': 'it tied for the highest bid and had the lowest recent talk share',
  'tie-break-agent-id': 'it tied on bid and talk share and has the lowest agent id',
  sampled: 'it was drawn from the softmax probabilities',
  'quality-gate': 'its evidence passed the quality gate against a near-equal bid',
} as const;

/**
 * Renders an {@link AuctionResult} as one line of plain English for logs and debugging. Results
 * carry machine-readable fields; this is the human view (it allocates, so call it off the hot path).
 *
 * @param result - an auction outcome.
 * @returns e.g. `auction-3: bob wins (it was drawn from the softmax probabilities, draw 0.412);
 *   alice 6 × 0.50 = 3.00 (p 0.269), bob 4 × 1.20 = 4.80 (p 0.731)`.
 * @example
 * ```ts
 * import { describeAuction } from '@argentum/core';
 *
 * console.log(describeAuction(resolver.resolve({ bids })));
 * ```
 */
export function describeAuction(result: AuctionResult): string {
  const reason = REASON_TEXT[result.reason];
  if (result.winner === null) return `${result.id}: no winner (${reason})`;
  const draw = result.draw === undefined ? '' : `, draw ${result.draw.toFixed(3)}`;
  const rows = result.entries
    .map(
      (entry) =>
        `${entry.agentId} ${formatNumber(entry.bid)} × ${entry.multiplier.toFixed(2)} = ${entry.effectiveBid.toFixed(2)}` +
        ` (p ${entry.probability.toFixed(3)})`,
    )
    .join(', ');
  return `${result.id}: ${result.winner} wins (${reason}${draw}); ${rows}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
