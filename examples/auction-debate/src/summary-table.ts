import type { ConversationSummary } from '@argentum/core';
import { formatClock } from './render-timeline-svg';

/** How long the run took on the wall clock, for the speed line. */
export interface RunTiming {
  /** Wall time of the whole run, ms. */
  wallMs: number;
  /** Audio produced, ms. */
  audioMs: number;
  /** Whether it ran on the wall clock (then the speed-up is ≈ 1 by design). */
  realtime: boolean;
}

/**
 * The summary printed after a run: a table per agent (talk share vs target, turns, talk time,
 * interjections, interrupts made and suffered), then the conversation's figures (gaps p50/p95,
 * overlap, Jain's fairness) and the wall time with the speed-up over real time.
 */
export function formatSummaryTable(summary: ConversationSummary, timing: RunTiming): string {
  const header = ['agent', 'share', 'target', 'turns', 'talk', 'interjections', 'interrupts made/suffered'];
  const rows = summary.agents.map((agent) => [
    agent.name,
    percent(agent.share),
    percent(agent.targetShare),
    String(agent.turns),
    `${(agent.talkMs / 1000).toFixed(1)} s`,
    String(agent.interjections),
    `${agent.interruptsMade} / ${agent.interruptsSuffered}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const gaps = summary.handoffGaps;
  const turns = summary.turns.length;
  const speedUp = timing.audioMs / Math.max(timing.wallMs, 1);
  const lines = [
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `turns ${turns} · interjections ${summary.interjections.played} (${percent(summary.interjections.shareOfContributions)} of contributions) · interrupts ${summary.interrupts.committed} committed, ${summary.interrupts.fallenBack} fell back`,
    `handoff gaps p50 ${milliseconds(gaps.p50Ms)} · p95 ${milliseconds(gaps.p95Ms)} · overlap ${percent(summary.overlap.ratio)} of talk time · Jain's fairness ${summary.fairness.jain.toFixed(3)}`,
    `wall time ${(timing.wallMs / 1000).toFixed(1)} s for ${formatClock(timing.audioMs, true)} of audio → ${
      timing.realtime ? 'real time' : `${speedUp.toFixed(1)}× faster than real time`
    }${summary.faults.count > 0 ? ` · ${summary.faults.count} faults worked around (see metrics.json)` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}

function percent(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : '–';
}

function milliseconds(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} ms` : '–';
}
