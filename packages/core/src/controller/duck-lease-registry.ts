import { Observable } from 'rxjs';
import { assertGainDb } from '../audio/gain-envelope';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { DuckLease, DuckLeaseStatus, DuckOptions } from './audio-controller';
import { DuckLeaseBusyError } from './duck-lease-busy-error';

const FINAL: ReadonlySet<DuckLeaseStatus> = new Set(['released', 'revoked']);

/**
 * One lease, as handed out by {@link DuckLeaseRegistry}.
 * @internal
 */
class RegisteredLease implements DuckLease {
  readonly id: string;
  readonly holder: string;
  readonly gainDb: number;
  readonly status$: Observable<DuckLeaseStatus>;
  private current: DuckLeaseStatus;
  private readonly listeners = new Set<(status: DuckLeaseStatus) => void>();

  constructor(
    id: string,
    holder: string,
    gainDb: number,
    status: DuckLeaseStatus,
    private readonly registry: DuckLeaseRegistry,
  ) {
    this.id = id;
    this.holder = holder;
    this.gainDb = gainDb;
    this.current = status;
    this.status$ = new Observable<DuckLeaseStatus>((subscriber) => {
      subscriber.next(this.current);
      if (FINAL.has(this.current)) {
        subscriber.complete();
        return undefined;
      }
      const listener = (next: DuckLeaseStatus): void => {
        subscriber.next(next);
        if (FINAL.has(next)) subscriber.complete();
      };
      this.listeners.add(listener);
      return () => {
        this.listeners.delete(listener);
      };
    });
  }

  get status(): DuckLeaseStatus {
    return this.current;
  }

  release(): void {
    this.registry.release(this);
  }

  /** Changes the status now and tells the listeners through `deliver`. */
  setStatus(status: DuckLeaseStatus, deliver: (notify: () => void) => void): void {
    if (this.current === status) return;
    this.current = status;
    if (this.listeners.size === 0) return;
    deliver(() => {
      for (const listener of [...this.listeners]) listener(status);
      if (FINAL.has(status)) this.listeners.clear();
    });
  }
}

/**
 * What a {@link DuckLeaseRegistry} needs from its controller.
 * @internal
 */
export interface DuckLeaseHost {
  /** Applies a duck level to the primary speaker (`undefined` = unducked), with a ramp. */
  applyDuck(gainDb: number | undefined): void;
  /** Runs `change` as one serialized controller operation. */
  operate(change: () => void): void;
  /** Queues a notification to run once the current operation is complete. */
  deliver(notify: () => void): void;
}

/**
 * The one-lease-at-a-time duck arbiter of an audio controller: at most one lease is `active`;
 * others wait FIFO (`pending`) or are refused.
 * @internal
 */
export class DuckLeaseRegistry {
  private active: RegisteredLease | undefined;
  private readonly pending: RegisteredLease[] = [];
  private counter = 0;

  constructor(
    private readonly host: DuckLeaseHost,
    private readonly defaultPolicy: 'queue' | 'refuse',
  ) {}

  /** The active lease. */
  get activeLease(): DuckLease | undefined {
    return this.active;
  }

  /** How many leases wait. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** The duck level in force, dB, or `undefined`. */
  get level(): number | undefined {
    return this.active?.gainDb;
  }

  request(gainDb: number, options: DuckOptions): DuckLease {
    assertGainDb('gainDb', gainDb, 0);
    const policy = options.whenBusy ?? this.defaultPolicy;
    if (policy !== 'queue' && policy !== 'refuse') {
      throw new InvalidArgumentError('whenBusy', `expected 'queue' or 'refuse', got ${String(policy)}.`);
    }
    if (options.holder !== undefined && (typeof options.holder !== 'string' || options.holder.length === 0)) {
      throw new InvalidArgumentError(
        'holder',
        `expected a non-empty string, got ${JSON.stringify(options.holder)}.`,
      );
    }
    if (this.active !== undefined && policy === 'refuse') {
      throw new DuckLeaseBusyError(this.active.id, this.active.holder);
    }
    this.counter += 1;
    const id = `lease-${this.counter}`;
    const lease = new RegisteredLease(id, options.holder ?? id, gainDb, 'pending', this);
    this.host.operate(() => {
      if (this.active === undefined) {
        this.activate(lease);
      } else {
        this.pending.push(lease);
      }
    });
    return lease;
  }

  release(lease: RegisteredLease): void {
    this.host.operate(() => {
      if (lease === this.active) {
        lease.setStatus('released', this.host.deliver);
        this.active = undefined;
        const next = this.pending.shift();
        if (next === undefined) this.host.applyDuck(undefined);
        else this.activate(next);
        return;
      }
      const index = this.pending.indexOf(lease);
      if (index >= 0) {
        this.pending.splice(index, 1);
        lease.setStatus('released', this.host.deliver);
      }
    });
  }

  /** Revokes every lease, active and pending; unducks. Call inside an operation. */
  revokeAll(): void {
    const leases = [...(this.active === undefined ? [] : [this.active]), ...this.pending];
    const wasDucked = this.active !== undefined;
    this.active = undefined;
    this.pending.length = 0;
    for (const lease of leases) lease.setStatus('revoked', this.host.deliver);
    if (wasDucked) this.host.applyDuck(undefined);
  }

  private activate(lease: RegisteredLease): void {
    this.active = lease;
    lease.setStatus('active', this.host.deliver);
    this.host.applyDuck(lease.gainDb);
  }
}
