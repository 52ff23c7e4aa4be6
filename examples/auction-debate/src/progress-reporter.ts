import type { ConversationEvent } from '@argentum/core';
import { formatClock } from './render-timeline-svg';

/** Where and how {@link ProgressReporter} writes. */
export interface ProgressReporterOptions {
  /** Writes text (no newline added). */
  write: (text: string) => void;
  /** A terminal: redraw one status line in place. Otherwise: a plain line every `plainEveryMs` of audio. */
  tty: boolean;
  /** Wall-clock milliseconds (monotonic), to limit redraws to `redrawEveryMs`. */
  wallNow: () => number;
  /** The debate's planned length, ms of audio. */
  plannedMs: number;
  /** Persona names by agent id. */
  names: ReadonlyMap<string, string>;
  /** Least wall time between two redraws on a terminal, ms (default 80). */
  redrawEveryMs?: number;
  /** Audio time between two plain lines, ms (default 30 000). */
  plainEveryMs?: number;
  /** Width of the bar, characters (default 24). */
  barWidth?: number;
}

/**
 * Shows how far a running debate is: on a terminal a redrawn line
 * `[██████░░░░] 1:12 / 3:00  turn 14  ▶ Bruno  · 3 interjections · 1 interrupt`; elsewhere (a log
 * file, CI) a plain line every 30 s of audio.
 */
export class ProgressReporter {
  private readonly options: Required<ProgressReporterOptions>;
  private origin: number | undefined;
  private audioMs = 0;
  private turn = 0;
  private speaker: string | null = null;
  private interjections = 0;
  private interrupts = 0;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private nextPlainMs: number;
  private drawn = false;

  constructor(options: ProgressReporterOptions) {
    this.options = { redrawEveryMs: 80, plainEveryMs: 30_000, barWidth: 24, ...options };
    this.nextPlainMs = this.options.plainEveryMs;
  }

  /** Takes the next conversation event. */
  update(event: ConversationEvent): void {
    if (event.type === 'start') this.origin = event.at;
    this.audioMs = Math.max(this.audioMs, event.at - (this.origin ?? event.at));
    switch (event.type) {
      case 'turn-start':
        this.turn += 1;
        this.speaker = event.agentId;
        break;
      case 'turn-end':
        if (this.speaker === event.agentId) this.speaker = null;
        break;
      case 'interjection':
        if (event.outcome === 'played') this.interjections += 1;
        break;
      case 'interrupt':
        if (event.outcome === 'committed') this.interrupts += 1;
        break;
      default:
        break;
    }
    if (this.options.tty) {
      const now = this.options.wallNow();
      if (now - this.lastDrawAt >= this.options.redrawEveryMs || event.type === 'end') {
        this.lastDrawAt = now;
        this.options.write(`\r${this.statusLine()}\u001b[K`);
        this.drawn = true;
      }
    } else if (this.audioMs >= this.nextPlainMs && event.type !== 'end') {
      while (this.nextPlainMs <= this.audioMs) this.nextPlainMs += this.options.plainEveryMs;
      this.options.write(`progress: ${this.statusText()}\n`);
    }
  }

  /** Ends the status line (call once the run is over, before printing anything else). */
  finish(): void {
    if (this.options.tty && this.drawn) this.options.write('\n');
    this.drawn = false;
  }

  /** The status line with its bar, e.g. `[████░░] 1:12 / 3:00  turn 14  ▶ Bruno`. */
  statusLine(): string {
    const { barWidth, plannedMs } = this.options;
    const filled = Math.min(barWidth, Math.round((this.audioMs / Math.max(plannedMs, 1)) * barWidth));
    return `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${this.statusText()}`;
  }

  private statusText(): string {
    const who = this.speaker === null ? '—' : (this.options.names.get(this.speaker) ?? this.speaker);
    const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
    return [
      `${formatClock(this.audioMs)} / ${formatClock(this.options.plannedMs)}`,
      `turn ${this.turn}`,
      `▶ ${who}`,
      `${plural(this.interjections, 'interjection')} · ${plural(this.interrupts, 'interrupt')}`,
    ].join('  ');
  }
}
