import { ArgentumError, hasBrand } from '../errors/argentum-error';

/**
 * A duck was refused because another lease is active and the request (or the controller) uses
 * the `refuse` policy. Ducks never stack: wait for the holder to release, or ask with
 * `whenBusy: 'queue'`.
 *
 * @example
 * ```ts
 * try {
 *   controller.duck(-12, { holder: 'bob', whenBusy: 'refuse' });
 * } catch (error) {
 *   if (DuckLeaseBusyError.isInstance(error)) console.log(`${error.holder} holds the duck`);
 * }
 * ```
 */
export class DuckLeaseBusyError extends ArgentumError {
  /** The holder of the active lease. */
  readonly holder: string;
  /** The id of the active lease. */
  readonly leaseId: string;

  /**
   * @param leaseId - the active lease's id.
   * @param holder - the active lease's holder.
   */
  constructor(leaseId: string, holder: string) {
    super(
      'duck-lease-busy',
      `The primary speaker is already ducked by ${leaseId} (held by '${holder}'): wait until it is released, or call duck() with whenBusy: 'queue'.`,
    );
    this.leaseId = leaseId;
    this.holder = holder;
    this.brand('DuckLeaseBusyError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link DuckLeaseBusyError}.
   * @example
   * ```ts
   * if (DuckLeaseBusyError.isInstance(error)) console.log(error.holder);
   * ```
   */
  static override isInstance(error: unknown): error is DuckLeaseBusyError {
    return hasBrand(error, 'DuckLeaseBusyError');
  }
}
