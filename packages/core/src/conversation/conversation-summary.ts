/**
 * One turn as summarized by {@link summarizeConversation}.
 *
 * @example
 * ```ts
 * for (const turn of summary.turns) console.log(turn.turnId, turn.agentId, turn.gapMs, turn.outcome);
 * ```
 */
export interface TurnSummary {
  /** `turn-N`. */
  turnId: string;
  /** The speaker. */
  agentId: string;
  /** How it got the floor. */
  cause: 'auction' | 'interrupt';
  /** The auction it won, or `null`. */
  auctionId: string | null;
  /** Its first sample, scheduler ms (`null` when nothing played). */
  startedAt: number | null;
  /** Its last sample, scheduler ms (`null` when nothing played). */
  endedAt: number | null;
  /** Talk time, ms. */
  talkMs: number;
  /** Silence since the previous turn, ms (`null` for the first). */
  gapMs: number | null;
  /** From requesting its response to its first audio, ms (`null` when nothing played). */
  firstAudioLatencyMs: number | null;
  /** How it ended. */
  outcome: 'completed' | 'interrupted' | 'truncated' | 'failed' | 'cancelled';
  /** The heard text. */
  text: string;
  /** Who cut it, when interrupted. */
  interruptedBy: string | null;
  /** Tokens its auction cost. */
  price: number;
}

/**
 * One line of the transcript of {@link ConversationSummary}.
 *
 * @example
 * ```ts
 * const text = summary.transcript.map((line: TranscriptLine) => `${line.name}: ${line.text}`).join('\n');
 * ```
 */
export interface TranscriptLine {
  /** When it started, scheduler ms. */
  at: number;
  /** The speaker. */
  agentId: string;
  /** Its persona name. */
  name: string;
  /** A turn, or an interjection under someone else's turn. */
  kind: 'turn' | 'interjection';
  /** The heard text. */
  text: string;
  /** Whether a hard interrupt cut it. */
  interrupted: boolean;
}

/**
 * Per-agent figures of {@link ConversationSummary}.
 *
 * @example
 * ```ts
 * console.table(summary.agents.map((agent: AgentSummary) => ({ name: agent.name, share: agent.share })));
 * ```
 */
export interface AgentSummary {
  /** The agent. */
  agentId: string;
  /** Its persona name. */
  name: string;
  /** Turns it held. */
  turns: number;
  /** Its talk time, ms. */
  talkMs: number;
  /** Its share of all talk time, 0..1. */
  share: number;
  /** Its target share, 0..1. */
  targetShare: number;
  /** Interjections it played. */
  interjections: number;
  /** Interrupts it committed. */
  interruptsMade: number;
  /** Times it was cut by an interrupt. */
  interruptsSuffered: number;
  /** Auctions it won. */
  auctionsWon: number;
  /** Tokens it spent (auction prices and interrupt fees). */
  tokensSpent: number;
}

/**
 * Summary statistics of a set of durations, ms. `NaN` fields when `count` is 0.
 *
 * @example
 * ```ts
 * const { p50Ms, p95Ms }: DurationStats = summary.timing.firstAudioLatency;
 * ```
 */
export interface DurationStats {
  /** How many values. */
  count: number;
  /** Smallest, ms. */
  minMs: number;
  /** Median (lower), ms. */
  p50Ms: number;
  /** 95th percentile (lower), ms. */
  p95Ms: number;
  /** Largest, ms. */
  maxMs: number;
  /** Mean, ms. */
  meanMs: number;
}

/**
 * The metrics of a conversation, computed from its event log by {@link summarizeConversation}:
 * what the auction-debate example writes to `metrics.json`. Every figure is a pure function of the
 * events, so equal logs give equal summaries.
 *
 * @example
 * ```ts
 * const summary: ConversationSummary = summarizeConversation(events);
 * console.log(summary.handoffGaps.modeBinStartMs, summary.overlap.ratio, summary.fairness.jain);
 * ```
 */
export interface ConversationSummary {
  /** The topic. */
  topic: string;
  /** The preset id. */
  preset: string;
  /** The seed. */
  seed: number;
  /** From the start to the end event, ms. */
  durationMs: number;
  /** Why it ended (`null` when the log has no `end` event yet). */
  endReason: 'max-duration' | 'max-turns' | 'no-bids' | 'stopped' | 'cancelled' | null;
  /** Per turn, in order. */
  turns: TurnSummary[];
  /** Turns and played interjections, in order of their start. */
  transcript: TranscriptLine[];
  /** Per agent, in the order announced. */
  agents: AgentSummary[];
  /** Auctions held. */
  auctionCount: number;
  /** Handoff gaps between consecutive turns (silence from one turn's last sample to the next's first). */
  handoffGaps: DurationStats & {
    /** Histogram bin width, ms (100). */
    binMs: number;
    /** Counts per bin, keyed by the bin's start in ms (negative bins hold overlaps). */
    histogram: Record<string, number>;
    /** The start of the most populated bin, ms (the lowest on ties); `NaN` with no gaps. */
    modeBinStartMs: number;
  };
  /** Overlapped speech: time when two or more voices were audible at once. */
  overlap: {
    /** Time with ≥ 2 voices, ms. */
    overlapMs: number;
    /** Time with ≥ 1 voice, ms. */
    talkMs: number;
    /** `overlapMs / talkMs` (0 when silent). */
    ratio: number;
  };
  /** Interjections. */
  interjections: {
    /** Played. */
    played: number;
    /** Dropped after the planner accepted them. */
    dropped: number;
    /** Played interjections per type. */
    byType: Record<string, number>;
    /** Played interjections among all contributions (turns + played interjections), 0..1. */
    shareOfContributions: number;
  };
  /** Hard interrupts. */
  interrupts: {
    /** Requests the policy ruled on. */
    requested: number;
    /** Requests it allowed. */
    allowed: number;
    /** Committed cuts. */
    committed: number;
    /** Fallen back. */
    fallenBack: number;
    /** Fallbacks per reason. */
    fallbackReasons: Record<string, number>;
    /** Committed cuts that fell inside a word (must be 0). */
    midWordCuts: number;
    /**
     * Committed cuts whose beat was less than the commit guard after the decision, or whose
     * audio was not ready by the deadline (must be 0).
     */
    unguardedCommits: number;
  };
  /** Beat drift over the turns' beats. */
  drift: {
    /** Beats. */
    beats: number;
    /** Mean |drift|, ms. */
    meanAbsoluteMs: number;
    /** p95 |drift|, ms. */
    p95AbsoluteMs: number;
    /** Largest |drift|, ms. */
    maxAbsoluteMs: number;
    /** Beats reported missed. */
    missed: number;
  };
  /** Guard bands and lead times over the run. */
  timing: {
    /** First-audio latency of turns, ms. */
    firstAudioLatency: DurationStats;
    /** The commit guard: at the first and last pacing event, and the largest seen, ms. */
    commitGuardMs: {
      /** At the first pacing event, ms. */
      first: number;
      /** At the last pacing event, ms. */
      last: number;
      /** The largest seen, ms. */
      max: number;
    };
    /** The AIMD lead time: at the first and last pacing event, the least and largest, ms. */
    leadTimeMs: {
      /** At the first pacing event, ms. */
      first: number;
      /** At the last pacing event, ms. */
      last: number;
      /** The least seen, ms. */
      min: number;
      /** The largest seen, ms. */
      max: number;
    };
    /** The last reported p95 first-audio latency, ms. */
    firstChunkP95Ms: number;
    /** The last reported late-handoff rate. */
    missRate: number;
  };
  /** Talk-share fairness. */
  fairness: {
    /** Jain's index on share/target over the whole run. */
    jain: number;
    /** Shares, by agent. */
    shares: Record<string, number>;
    /** Targets, by agent. */
    targets: Record<string, number>;
  };
  /** Faults. */
  faults: {
    /** How many. */
    count: number;
    /** Per code. */
    byCode: Record<string, number>;
  };
}
