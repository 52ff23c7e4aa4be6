import {
  InvalidArgumentError,
  type WorkerFilter,
  type WorkerInfo,
  type WorkerRegistration,
} from '@argentum/core';

/**
 * What a registry stores per worker: its {@link WorkerInfo} but the time left, which is computed on read.
 * @internal
 */
export type WorkerRecord = Omit<WorkerInfo, 'expiresInMs'>;

function assertFiniteAtLeast(argument: string, value: number, min: number, exclusive: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (exclusive ? value <= min : value < min)) {
    throw new InvalidArgumentError(
      argument,
      `expected a finite number ${exclusive ? 'above' : 'of at least'} ${min}, got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Checks a registration and turns it into a record.
 * @internal
 */
export function toRecord(registration: WorkerRegistration): WorkerRecord {
  if (typeof registration.id !== 'string' || registration.id === '') {
    throw new InvalidArgumentError('id', 'expected a non-empty string naming the worker.');
  }
  return {
    id: registration.id,
    address: registration.address,
    capabilities: [...(registration.capabilities ?? [])],
    load: assertLoad(registration.load ?? 0),
    capacity:
      registration.capacity === undefined
        ? undefined
        : assertFiniteAtLeast('capacity', registration.capacity, 0, true),
    metadata: { ...registration.metadata },
    heartbeats: 0,
  };
}

/** @internal */
export function assertLoad(load: number): number {
  return assertFiniteAtLeast('load', load, 0, false);
}

/** @internal */
export function assertPositiveMs(argument: string, value: number): number {
  return assertFiniteAtLeast(argument, value, 0, true);
}

/** @internal */
export function toInfo(record: WorkerRecord, expiresInMs: number): WorkerInfo {
  return {
    id: record.id,
    address: record.address,
    capabilities: [...record.capabilities],
    load: record.load,
    capacity: record.capacity,
    metadata: { ...record.metadata },
    heartbeats: record.heartbeats,
    expiresInMs: Math.max(0, expiresInMs),
  };
}

/** @internal */
export function matchesFilter(
  record: { capabilities: readonly string[] },
  filter: WorkerFilter | undefined,
): boolean {
  return (filter?.capabilities ?? []).every((capability) => record.capabilities.includes(capability));
}

/** @internal */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
