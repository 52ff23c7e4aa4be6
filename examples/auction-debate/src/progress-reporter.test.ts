import type { ConversationEvent } from '@argentum/core';
import { describe, expect, it } from 'vitest';
import { ProgressReporter } from './progress-reporter';

// Only the fields the reporter reads; the rest of each event does not matter here.
const event = (fields: Record<string, unknown>): ConversationEvent => fields as unknown as ConversationEvent;
const names = new Map([
  ['ada', 'Ada'],
  ['bruno', 'Bruno'],
]);

function debate(): ConversationEvent[] {
  return [
    event({ type: 'start', at: 1_000 }),
    event({ type: 'turn-start', at: 1_200, agentId: 'ada' }),
    event({ type: 'interjection', at: 5_000, outcome: 'played' }),
    event({ type: 'interjection', at: 6_000, outcome: 'dropped' }),
    event({ type: 'turn-end', at: 20_000, agentId: 'ada' }),
    event({ type: 'turn-start', at: 20_200, agentId: 'bruno' }),
    event({ type: 'interrupt', at: 40_000, outcome: 'committed' }),
    event({ type: 'interrupt', at: 41_000, outcome: 'fallen-back' }),
    event({ type: 'turn-end', at: 70_000, agentId: 'bruno' }),
    event({ type: 'end', at: 70_100 }),
  ];
}

describe('ProgressReporter', () => {
  it('on a terminal redraws one line in place, at most every redrawEveryMs of wall time, and always at the end', () => {
    const writes: string[] = [];
    let wall = 0;
    const reporter = new ProgressReporter({
      write: (text) => writes.push(text),
      tty: true,
      wallNow: () => wall,
      plannedMs: 60_000,
      names,
      redrawEveryMs: 100,
      barWidth: 10,
    });
    for (const item of debate()) {
      reporter.update(item);
      wall += 30; // a redraw every fourth event at most
    }
    reporter.finish();
    expect(
      writes.every((text, index) => (index === writes.length - 1 ? text === '\n' : text.startsWith('\r'))),
    ).toBe(true);
    expect(writes.length).toBeLessThan(debate().length);
    expect(writes.at(-2)).toBe(
      '\r[██████████] 1:09 / 1:00  turn 2  ▶ —  1 interjection · 1 interrupt\u001b[K',
    );
  });

  it('shows the current speaker and the audio time from the start event', () => {
    const reporter = new ProgressReporter({
      write: () => {},
      tty: true,
      wallNow: () => 0,
      plannedMs: 60_000,
      names,
      barWidth: 10,
    });
    for (const item of debate().slice(0, 6)) reporter.update(item);
    expect(reporter.statusLine()).toBe(
      '[███░░░░░░░] 0:19 / 1:00  turn 2  ▶ Bruno  1 interjection · 0 interrupts',
    );
  });

  it('elsewhere prints a plain line every plainEveryMs of audio', () => {
    const writes: string[] = [];
    const reporter = new ProgressReporter({
      write: (text) => writes.push(text),
      tty: false,
      wallNow: () => 0,
      plannedMs: 60_000,
      names,
      plainEveryMs: 30_000,
    });
    for (const item of debate()) reporter.update(item);
    reporter.finish();
    expect(writes).toEqual([
      'progress: 0:39 / 1:00  turn 2  ▶ Bruno  1 interjection · 1 interrupt\n',
      'progress: 1:09 / 1:00  turn 2  ▶ —  1 interjection · 1 interrupt\n',
    ]);
  });
});
