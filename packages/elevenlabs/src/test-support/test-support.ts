import type { TtsEvent, TtsMarkEvent } from '@argentum/core';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { createElevenLabs, type ElevenLabsProviderSettings } from '../elevenlabs-provider';
import type { ElevenLabsTestServer } from '../testing/test-server-types';

/** Collects every event of a synthesis (rejects with its error). */
export function collect(events: Observable<TtsEvent>): Promise<TtsEvent[]> {
  return lastValueFrom(events.pipe(toArray()));
}

/** A provider pointed at a test server. */
export function providerFor(server: ElevenLabsTestServer, settings: ElevenLabsProviderSettings = {}) {
  return createElevenLabs({
    apiKey: 'test-key',
    baseURL: server.httpBaseUrl,
    webSocketBaseURL: server.wsBaseUrl,
    ...settings,
  });
}

/** The word marks of a synthesis. */
export function wordMarks(events: readonly TtsEvent[]): TtsMarkEvent[] {
  return events.filter((event): event is TtsMarkEvent => event.type === 'mark' && event.kind === 'word');
}

/** The sentence marks of a synthesis. */
export function sentenceMarks(events: readonly TtsEvent[]): TtsMarkEvent[] {
  return events.filter((event): event is TtsMarkEvent => event.type === 'mark' && event.kind === 'sentence');
}

/** Total samples of the audio events. */
export function audioSamples(events: readonly TtsEvent[]): number {
  let total = 0;
  for (const event of events) if (event.type === 'audio') total += event.frame.samples.length;
  return total;
}

/** Counts the process's open sockets and timers (from `process.getActiveResourcesInfo()`). */
export function activeHandles(): { sockets: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((name) => name === 'TCPSocketWrap').length,
    timers: resources.filter((name) => name === 'Timeout').length,
  };
}

/** Resolves after the event loop has turned a few times (lets socket events land). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Waits (up to ~2 s of event-loop turns, without timers of its own) until the open sockets and
 * timers are back to `baseline`; returns the final counts.
 */
export async function handlesBackTo(baseline: { sockets: number; timers: number }) {
  let current = activeHandles();
  for (let i = 0; i < 400 && (current.sockets > baseline.sockets || current.timers > baseline.timers); i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    current = activeHandles();
  }
  return current;
}
