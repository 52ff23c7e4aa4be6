import { interval, map, Observable, type SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { AgentRegistry } from './agent-registry';
import { AccrualModeError, InsufficientTokensError } from './auction-errors';

/**
 * How a {@link TokenBank} earns tokens. One mode per bank:
 * - `time`: `tokensPerSecond` accrue continuously, credited by `tick(elapsedMs)` or by `sync()` on
 *   the bank's scheduler clock;
 * - `turn`: `tokensPerTurn` are credited by each `accrueTurn()` (call it when a turn ends).
 *
 * @example
 * ```ts
 * const perSecond: TokenAccrual = { mode: 'time', tokensPerSecond: 2 };
 * const perTurn: TokenAccrual = { mode: 'turn', tokensPerTurn: 5 };
 * ```
 */
export type TokenAccrual =
  | {
      /** Accrue continuously in time. */
      mode: 'time';
      /** Tokens each agent earns per second, ≥ 0. */
      tokensPerSecond: number;
    }
  | {
      /** Accrue once per turn. */
      mode: 'turn';
      /** Tokens each agent earns per turn, ≥ 0. */
      tokensPerTurn: number;
    };

/**
 * Options of {@link TokenBank}.
 *
 * @example
 * ```ts
 * const options: TokenBankOptions = {
 *   agents: ['alice', 'bob'],
 *   capacity: 20,
 *   accrual: { mode: 'time', tokensPerSecond: 2 },
 *   initialBalance: 5,
 * };
 * const bank = new TokenBank(options);
 * ```
 */
export interface TokenBankOptions {
  /** The agents holding a bank. More can be added with {@link TokenBank.addAgent}. */
  agents: readonly string[];
  /** The cap: no balance ever exceeds it (accruals and refunds stop there). > 0. */
  capacity: number;
  /** How tokens are earned. */
  accrual: TokenAccrual;
  /** Starting balance of every agent, 0..capacity. Default 0. */
  initialBalance?: number;
  /**
   * Starting balances per agent (e.g. from a {@link TokenBankSnapshot}), 0..capacity each; agents
   * not listed start at `initialBalance`.
   */
  balances?: Readonly<Record<string, number>>;
  /** The clock `sync()` reads. Default: {@link realtimeScheduler}. */
  scheduler?: SchedulerLike;
}

/**
 * A plain, serialisable picture of a {@link TokenBank}.
 *
 * @example
 * ```ts
 * const snapshot: TokenBankSnapshot = bank.snapshot();
 * const restored = new TokenBank({ agents: Object.keys(snapshot.balances), ...snapshot });
 * ```
 */
export interface TokenBankSnapshot {
  /** The cap. */
  capacity: number;
  /** The accrual mode and rate. */
  accrual: TokenAccrual;
  /** Balance per agent. */
  balances: Record<string, number>;
}

/**
 * Per-agent token banks with a shared cap: the currency of the floor auction.
 *
 * Invariants (property-tested): every balance stays within `0..capacity` after any sequence of
 * accruals, spends and refunds. Amounts must be finite and ≥ 0; anything else (NaN, negative,
 * ±Infinity) throws {@link InvalidArgumentError} and changes nothing.
 *
 * Decisions:
 * - **Spending more than the balance throws** {@link InsufficientTokensError} and spends nothing;
 *   use {@link TokenBank.canSpend} to ask first. A bid is a promise to pay, so silently paying less
 *   would corrupt the auction's record.
 * - **A refund never lifts a balance past the cap**: the part that would overflow is forfeited and
 *   `refund()` returns what was actually credited. The cap is the bank's one hard rule — otherwise
 *   cancelling bids would be a way to hoard beyond it.
 * - Time accrual keeps an "accrued until" mark: `tick(ms)` moves it forward by `ms`, `sync()` moves
 *   it to the scheduler's `now()`, so mixing them never credits the same time twice.
 *
 * @example
 * ```ts
 * import { TokenBank, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const bank = new TokenBank({
 *   agents: ['alice', 'bob'],
 *   capacity: 20,
 *   accrual: { mode: 'time', tokensPerSecond: 2 },
 *   scheduler: clock.scheduler,
 * });
 * clock.advanceBy(3000);
 * bank.sync(); // each agent has 6 tokens
 * bank.spend('alice', 5); // alice: 1
 * bank.refund('alice', 5); // bid cancelled: alice back to 6
 * console.log(bank.snapshot().balances); // { alice: 6, bob: 6 }
 * ```
 */
export class TokenBank {
  /** The cap on every balance. */
  readonly capacity: number;
  /** The accrual mode and rate. */
  readonly accrual: TokenAccrual;
  private readonly registry = new AgentRegistry('TokenBank');
  private readonly balances: number[] = [];
  private readonly initialBalance: number;
  private readonly scheduler: SchedulerLike;
  private readonly tokensPerMs: number;
  private accruedUntil: number;

  /**
   * @param options - agents, cap, accrual mode and rate, optional starting balances and clock.
   * @throws {@link InvalidArgumentError} for a non-positive cap, a bad rate or balance.
   */
  constructor(options: TokenBankOptions) {
    this.capacity = assertNumber('capacity', options.capacity, { above: 0 });
    const accrual = options.accrual;
    if (accrual?.mode === 'time') {
      assertNumber('accrual.tokensPerSecond', accrual.tokensPerSecond, { min: 0 });
      this.accrual = { mode: 'time', tokensPerSecond: accrual.tokensPerSecond };
      this.tokensPerMs = accrual.tokensPerSecond / 1000;
    } else if (accrual?.mode === 'turn') {
      assertNumber('accrual.tokensPerTurn', accrual.tokensPerTurn, { min: 0 });
      this.accrual = { mode: 'turn', tokensPerTurn: accrual.tokensPerTurn };
      this.tokensPerMs = 0;
    } else {
      throw new InvalidArgumentError(
        'accrual',
        `expected { mode: 'time', tokensPerSecond } or { mode: 'turn', tokensPerTurn }, got ${JSON.stringify(accrual)}.`,
      );
    }
    this.initialBalance = assertNumber('initialBalance', options.initialBalance ?? 0, {
      min: 0,
      max: this.capacity,
    });
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.accruedUntil = this.scheduler.now();
    if (!Array.isArray(options.agents)) {
      throw new InvalidArgumentError(
        'agents',
        `expected an array of agent ids, got ${String(options.agents)}.`,
      );
    }
    for (const agentId of options.agents) this.addAgent(agentId, options.balances?.[agentId]);
    if (options.balances) {
      for (const agentId of Object.keys(options.balances)) this.registry.indexOf(agentId);
    }
  }

  /** The agents holding a bank, in the order they were added. */
  get agentIds(): readonly string[] {
    return this.registry.ids;
  }

  /**
   * Opens a bank for a new agent.
   *
   * @param agentId - the new agent's id (must not exist yet).
   * @param balance - its starting balance, 0..capacity. Default: the bank's `initialBalance`.
   * @example
   * ```ts
   * bank.addAgent('carol', 3);
   * ```
   */
  addAgent(agentId: string, balance: number = this.initialBalance): void {
    assertNumber(`balances.${agentId}`, balance, { min: 0, max: this.capacity });
    this.registry.add(agentId);
    this.balances.push(balance);
  }

  /**
   * The agent's current balance.
   *
   * @param agentId - a known agent.
   * @returns its tokens, 0..capacity.
   * @throws {@link UnknownAgentError} for an id the bank does not hold.
   * @example
   * ```ts
   * if (bank.balanceOf('alice') >= 4) bids.push({ agentId: 'alice', amount: 4 });
   * ```
   */
  balanceOf(agentId: string): number {
    return this.balances[this.registry.indexOf(agentId)] as number;
  }

  /**
   * Whether the agent can spend `amount` now.
   *
   * @param agentId - a known agent.
   * @param amount - finite, ≥ 0.
   * @returns `true` when `amount ≤ balance`.
   * @example
   * ```ts
   * if (bank.canSpend('bob', fee)) bank.spend('bob', fee);
   * ```
   */
  canSpend(agentId: string, amount: number): boolean {
    assertNumber('amount', amount, { min: 0 });
    return amount <= this.balanceOf(agentId);
  }

  /**
   * Takes `amount` tokens from the agent's bank.
   *
   * @param agentId - a known agent.
   * @param amount - finite, ≥ 0, at most the balance.
   * @returns the balance left.
   * @throws {@link InsufficientTokensError} when `amount` exceeds the balance (nothing is spent).
   * @example
   * ```ts
   * const left = bank.spend('alice', result.entries[result.winnerIndex].bid);
   * ```
   */
  spend(agentId: string, amount: number): number {
    assertNumber('amount', amount, { min: 0 });
    const index = this.registry.indexOf(agentId);
    const balance = this.balances[index] as number;
    if (amount > balance) throw new InsufficientTokensError(agentId, amount, balance);
    const left = balance - amount;
    this.balances[index] = left;
    return left;
  }

  /**
   * Gives back tokens of a cancelled bid. The balance stops at the cap; the overflow is forfeited.
   *
   * @param agentId - a known agent.
   * @param amount - finite, ≥ 0.
   * @returns the amount actually credited (less than `amount` when the cap was reached).
   * @example
   * ```ts
   * const credited = bank.refund('alice', 5);
   * ```
   */
  refund(agentId: string, amount: number): number {
    assertNumber('amount', amount, { min: 0 });
    const index = this.registry.indexOf(agentId);
    return this.credit(index, amount);
  }

  /**
   * Credits `elapsedMs` of time accrual to every agent (time mode only) and moves the bank's
   * "accrued until" mark forward by the same amount.
   *
   * @param elapsedMs - finite, ≥ 0.
   * @throws {@link AccrualModeError} on a per-turn bank.
   * @example
   * ```ts
   * bank.tick(500); // 2 tokens/s → +1 token each
   * ```
   */
  tick(elapsedMs: number): void {
    if (this.accrual.mode !== 'time') throw new AccrualModeError(this.accrual.mode, 'tick()');
    assertNumber('elapsedMs', elapsedMs, { min: 0 });
    this.accruedUntil += elapsedMs;
    this.creditAll(elapsedMs * this.tokensPerMs);
  }

  /**
   * Credits the time between the bank's "accrued until" mark and the scheduler's `now()` (time
   * mode only). Calling it twice at the same instant credits nothing the second time.
   *
   * @returns the milliseconds credited.
   * @throws {@link AccrualModeError} on a per-turn bank.
   * @example
   * ```ts
   * clock.advanceBy(1000);
   * bank.sync(); // → 1000
   * ```
   */
  sync(): number {
    if (this.accrual.mode !== 'time') throw new AccrualModeError(this.accrual.mode, 'sync()');
    const now = this.scheduler.now();
    const elapsedMs = now - this.accruedUntil;
    if (!(elapsedMs > 0)) return 0;
    this.accruedUntil = now;
    this.creditAll(elapsedMs * this.tokensPerMs);
    return elapsedMs;
  }

  /**
   * Credits `turns` turns of accrual to every agent (turn mode only).
   *
   * @param turns - how many turns ended, a non-negative integer. Default 1.
   * @throws {@link AccrualModeError} on a per-time bank.
   * @example
   * ```ts
   * bank.accrueTurn(); // a turn ended: everyone earns tokensPerTurn
   * ```
   */
  accrueTurn(turns = 1): void {
    if (this.accrual.mode !== 'turn') throw new AccrualModeError(this.accrual.mode, 'accrueTurn()');
    assertNumber('turns', turns, { min: 0, integer: true });
    this.creditAll(turns * this.accrual.tokensPerTurn);
  }

  /**
   * A cold Observable that calls {@link TokenBank.sync} every `periodMs` on the bank's scheduler
   * and emits a snapshot after each. It never completes; unsubscribe to stop. Several
   * subscriptions never credit the same time twice (sync is idempotent per instant).
   *
   * @param periodMs - the accrual period, > 0.
   * @returns snapshots, one per period.
   * @throws {@link AccrualModeError} on subscription to a per-turn bank.
   * @example
   * ```ts
   * const subscription = bank.accrueEvery(250).subscribe((snapshot) => log(snapshot.balances));
   * // later
   * subscription.unsubscribe();
   * ```
   */
  accrueEvery(periodMs: number): Observable<TokenBankSnapshot> {
    assertNumber('periodMs', periodMs, { above: 0 });
    return new Observable<TokenBankSnapshot>((subscriber) => {
      if (this.accrual.mode !== 'time') {
        subscriber.error(new AccrualModeError(this.accrual.mode, 'accrueEvery()'));
        return undefined;
      }
      return interval(periodMs, this.scheduler)
        .pipe(
          map(() => {
            this.sync();
            return this.snapshot();
          }),
        )
        .subscribe(subscriber);
    });
  }

  /**
   * A plain copy of the bank's state; pass `snapshot.balances` as the `balances` option to restore.
   *
   * @returns capacity, accrual and balances.
   * @example
   * ```ts
   * const saved = JSON.stringify(bank.snapshot());
   * ```
   */
  snapshot(): TokenBankSnapshot {
    const balances: Record<string, number> = {};
    const ids = this.registry.ids;
    for (let i = 0; i < ids.length; i++) balances[ids[i] as string] = this.balances[i] as number;
    return { capacity: this.capacity, accrual: { ...this.accrual }, balances };
  }

  private credit(index: number, amount: number): number {
    const balance = this.balances[index] as number;
    const next = balance + amount;
    if (next >= this.capacity) {
      this.balances[index] = this.capacity;
      return this.capacity - balance;
    }
    this.balances[index] = next;
    return amount;
  }

  private creditAll(amount: number): void {
    if (amount === 0) return;
    for (let i = 0; i < this.balances.length; i++) this.credit(i, amount);
  }
}
