/**
 * Reads wall-clock time in ms since the Unix epoch. Signed-URL expiry is the only thing the server
 * measures against the wall clock (tokens are minted by other processes); everything else runs on
 * the injected monotonic scheduler. Pass your own for tests.
 *
 * @example
 * ```ts
 * const frozen: WallClock = () => 1_700_000_000_000;
 * ```
 */
export type WallClock = () => number;

/**
 * The system wall clock.
 *
 * @example
 * ```ts
 * const token = mintConversationToken({ agentId: 'support', secret, wallClock: systemWallClock });
 * ```
 */
export const systemWallClock: WallClock = () => Date.now();
