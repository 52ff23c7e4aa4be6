import type { ProviderHealth } from './provider-health';

/**
 * Orders the eligible members of a pool for one request: the first is tried first, the rest are
 * the fallback chain in order. A policy is a comparator over {@link ProviderHealth} snapshots
 * (negative: `a` before `b`); ties keep the order of the pool's `members`. Combine policies with
 * {@link combineRouting}: the first that tells two members apart decides.
 *
 * @example
 * ```ts
 * const cheapestThenFastest: RoutingPolicy = combineRouting(lowestCostRouting(), lowestLatencyRouting());
 * const custom: RoutingPolicy = {
 *   name: 'fewest-failures',
 *   compare: (a, b) => a.failures - b.failures,
 * };
 * ```
 */
export interface RoutingPolicy {
  /** A name for logs and traces. */
  readonly name: string;
  /**
   * Compares two members.
   * @param a - one member's snapshot.
   * @param b - the other's.
   * @returns negative to try `a` first, positive to try `b` first, 0 when this policy does not care.
   */
  compare(a: ProviderHealth, b: ProviderHealth): number;
}

/**
 * The order of the pool's `members`: the first member is the primary, the next ones its
 * fallbacks. The pool's default policy.
 *
 * @returns the policy.
 * @example
 * ```ts
 * const pool = new ProviderPool({ members: [primary, fallback], routing: declaredOrderRouting() });
 * ```
 */
export function declaredOrderRouting(): RoutingPolicy {
  return { name: 'declared-order', compare: (a, b) => a.index - b.index };
}

/**
 * Least busy first: the lowest share of its concurrency limit in use, then the fewest requests in flight.
 *
 * @returns the policy.
 * @example
 * ```ts
 * const pool = new ProviderPool({ members, routing: leastBusyRouting() });
 * ```
 */
export function leastBusyRouting(): RoutingPolicy {
  const utilisation = (health: ProviderHealth): number =>
    Number.isFinite(health.maxConcurrency) ? health.inFlight / health.maxConcurrency : 0;
  return {
    name: 'least-busy',
    compare: (a, b) => utilisation(a) - utilisation(b) || a.inFlight - b.inFlight,
  };
}

/**
 * Loaded members first (no load or warm-up delay), then members being loaded.
 *
 * @returns the policy.
 * @example
 * ```ts
 * const pool = new ProviderPool({ members, routing: combineRouting(preferResidentRouting(), leastBusyRouting()) });
 * ```
 */
export function preferResidentRouting(): RoutingPolicy {
  const rank = (health: ProviderHealth): number => (health.resident ? 0 : health.loading ? 1 : 2);
  return { name: 'prefer-resident', compare: (a, b) => rank(a) - rank(b) };
}

/**
 * The lowest measured p95 first-event latency first. Members with no sample yet come first, so
 * each gets measured.
 *
 * @returns the policy.
 * @example
 * ```ts
 * const pool = new ProviderPool({ members, routing: lowestLatencyRouting() });
 * ```
 */
export function lowestLatencyRouting(): RoutingPolicy {
  const key = (health: ProviderHealth): number => health.p95Ms ?? Number.NEGATIVE_INFINITY;
  return {
    name: 'lowest-p95',
    compare: (a, b) => {
      const left = key(a);
      const right = key(b);
      return left === right ? 0 : left < right ? -1 : 1;
    },
  };
}

/**
 * The cheapest (`costPerRequest`) first. To exclude expensive members, set `maxCostPerRequest` in
 * the request's requirements instead.
 *
 * @returns the policy.
 * @example
 * ```ts
 * const pool = new ProviderPool({ members, routing: combineRouting(lowestCostRouting(), leastBusyRouting()) });
 * ```
 */
export function lowestCostRouting(): RoutingPolicy {
  return { name: 'lowest-cost', compare: (a, b) => a.costPerRequest - b.costPerRequest };
}

/**
 * The highest health score first (recent successes, closed circuit).
 *
 * @returns the policy.
 * @example
 * ```ts
 * const pool = new ProviderPool({ members, routing: healthiestRouting() });
 * ```
 */
export function healthiestRouting(): RoutingPolicy {
  return { name: 'healthiest', compare: (a, b) => b.healthScore - a.healthScore };
}

/**
 * Combines policies lexicographically: the first policy that tells two members apart decides.
 *
 * @param policies - the policies, most important first.
 * @returns the combined policy.
 * @example
 * ```ts
 * const routing = combineRouting(preferResidentRouting(), lowestLatencyRouting(), leastBusyRouting());
 * routing.name; // 'prefer-resident > lowest-p95 > least-busy'
 * ```
 */
export function combineRouting(...policies: readonly RoutingPolicy[]): RoutingPolicy {
  return {
    name: policies.map((policy) => policy.name).join(' > '),
    compare: (a, b) => {
      for (const policy of policies) {
        const order = policy.compare(a, b);
        if (order !== 0) return order;
      }
      return 0;
    },
  };
}
