import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { collectInVirtualTime } from '../testing/collect-in-virtual-time';
import { AccrualModeError, InsufficientTokensError, UnknownAgentError } from './auction-errors';
import { TokenBank } from './token-bank';

const timeBank = (scheduler = createVirtualClock().scheduler) =>
  new TokenBank({
    agents: ['alice', 'bob'],
    capacity: 20,
    accrual: { mode: 'time', tokensPerSecond: 2 },
    scheduler,
  });

describe('TokenBank', () => {
  it('accrues per second on the scheduler clock, never crediting the same time twice', () => {
    const clock = createVirtualClock();
    const bank = timeBank(clock.scheduler);
    clock.advanceBy(3000);
    expect(bank.sync()).toBe(3000);
    expect(bank.sync()).toBe(0);
    expect(bank.snapshot().balances).toEqual({ alice: 6, bob: 6 });
    bank.tick(500); // explicit tick moves the accrued-until mark past now
    clock.advanceBy(400);
    expect(bank.sync()).toBe(0);
    clock.advanceBy(600);
    expect(bank.sync()).toBe(500);
    expect(bank.balanceOf('alice')).toBeCloseTo(8, 12);
  });

  it('stops at the cap', () => {
    const bank = timeBank();
    bank.tick(60_000);
    expect(bank.balanceOf('alice')).toBe(20);
  });

  it('accrues per turn', () => {
    const bank = new TokenBank({ agents: ['a'], capacity: 10, accrual: { mode: 'turn', tokensPerTurn: 3 } });
    bank.accrueTurn();
    bank.accrueTurn(2);
    expect(bank.balanceOf('a')).toBe(9);
    bank.accrueTurn();
    expect(bank.balanceOf('a')).toBe(10);
  });

  it('refuses the other accrual mode with a typed error', () => {
    const perTurn = new TokenBank({
      agents: ['a'],
      capacity: 10,
      accrual: { mode: 'turn', tokensPerTurn: 1 },
    });
    expect(() => perTurn.tick(10)).toThrow(AccrualModeError);
    expect(() => perTurn.sync()).toThrow(AccrualModeError);
    expect(() => timeBank().accrueTurn()).toThrow(AccrualModeError);
  });

  it('spends, refuses overspending without touching the balance, and refunds up to the cap', () => {
    const bank = new TokenBank({
      agents: ['a'],
      capacity: 10,
      initialBalance: 8,
      accrual: { mode: 'turn', tokensPerTurn: 1 },
    });
    expect(bank.spend('a', 5)).toBe(3);
    try {
      bank.spend('a', 4);
      expect.unreachable();
    } catch (error) {
      expect(InsufficientTokensError.isInstance(error)).toBe(true);
      const typed = error as InsufficientTokensError;
      expect([typed.agentId, typed.requested, typed.available]).toEqual(['a', 4, 3]);
      expect(typed.message).toContain('canSpend');
    }
    expect(bank.balanceOf('a')).toBe(3);
    expect(bank.canSpend('a', 3)).toBe(true);
    expect(bank.canSpend('a', 3.5)).toBe(false);
    expect(bank.refund('a', 5)).toBe(5);
    expect(bank.refund('a', 5)).toBe(2); // only 2 fit under the cap
    expect(bank.balanceOf('a')).toBe(10);
  });

  it.each([Number.NaN, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects the amount %s everywhere with InvalidArgumentError',
    (amount) => {
      const bank = timeBank();
      expect(() => bank.spend('alice', amount)).toThrow(InvalidArgumentError);
      expect(() => bank.refund('alice', amount)).toThrow(InvalidArgumentError);
      expect(() => bank.canSpend('alice', amount)).toThrow(InvalidArgumentError);
      expect(() => bank.tick(amount)).toThrow(InvalidArgumentError);
      expect(bank.balanceOf('alice')).toBe(0);
    },
  );

  it('validates its options', () => {
    const accrual = { mode: 'turn', tokensPerTurn: 1 } as const;
    expect(() => new TokenBank({ agents: ['a'], capacity: 0, accrual })).toThrow(InvalidArgumentError);
    expect(() => new TokenBank({ agents: ['a'], capacity: 5, initialBalance: 6, accrual })).toThrow(
      /at most 5/,
    );
    expect(() => new TokenBank({ agents: ['a', 'a'], capacity: 5, accrual })).toThrow(/already registered/);
    expect(
      () => new TokenBank({ agents: ['a'], capacity: 5, accrual: { mode: 'turn', tokensPerTurn: -1 } }),
    ).toThrow(InvalidArgumentError);
    expect(() => new TokenBank({ agents: ['a'], capacity: 5, accrual: { mode: 'weekly' } as never })).toThrow(
      /mode: 'time'/,
    );
    expect(() => new TokenBank({ agents: ['a'], capacity: 5, accrual, balances: { b: 1 } })).toThrow(
      UnknownAgentError,
    );
  });

  it('names unknown agents', () => {
    expect(() => timeBank().balanceOf('mallory')).toThrow(UnknownAgentError);
  });

  it('restores from a snapshot and adds agents', () => {
    const bank = new TokenBank({
      agents: ['a', 'b'],
      capacity: 10,
      accrual: { mode: 'turn', tokensPerTurn: 1 },
    });
    bank.accrueTurn(4);
    bank.spend('a', 3);
    const saved = JSON.parse(JSON.stringify(bank.snapshot()));
    const restored = new TokenBank({
      agents: ['a', 'b'],
      capacity: saved.capacity,
      accrual: saved.accrual,
      balances: saved.balances,
    });
    expect(restored.snapshot()).toEqual(bank.snapshot());
    restored.addAgent('c', 2);
    expect(restored.agentIds).toEqual(['a', 'b', 'c']);
    expect(restored.balanceOf('c')).toBe(2);
  });

  it('accrueEvery() syncs on the scheduler and emits snapshots until unsubscribed', () => {
    const events = collectInVirtualTime((scheduler) => {
      const bank = timeBank(scheduler);
      return bank.accrueEvery(1000);
    }, 3500);
    const values = events.flatMap((event) => (event.kind === 'next' ? [event] : []));
    expect(values.map((event) => event.at)).toEqual([1000, 2000, 3000]);
    expect(values.map((event) => event.value.balances.alice)).toEqual([2, 4, 6]);
  });

  it('accrueEvery() errors on a per-turn bank', () => {
    const bank = new TokenBank({ agents: ['a'], capacity: 5, accrual: { mode: 'turn', tokensPerTurn: 1 } });
    const events = collectInVirtualTime(() => bank.accrueEvery(100), 1000);
    expect(events).toHaveLength(1);
    expect(events[0]?.kind).toBe('error');
  });
});
