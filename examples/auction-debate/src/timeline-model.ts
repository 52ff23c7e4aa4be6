/** One speaker's lane in the timeline. */
export interface TimelineLane {
  /** The agent id. */
  agentId: string;
  /** The persona name shown at the lane's start. */
  name: string;
  /** A second label line, e.g. `for · voice ada`. */
  detail: string;
  /** The lane's colour (CSS). */
  color: string;
}

/** A stretch of audio one agent put out: a turn's sentence, or an interjection clip. */
export interface TimelineBar {
  /** The speaker. */
  agentId: string;
  /** A sentence of a turn on the floor, or an interjection under someone else's turn. */
  kind: 'turn' | 'interjection';
  /** The turn it belongs to (for an interjection: the turn it was made under). */
  turnId: string;
  /** Its first sample, ms from the start. */
  startMs: number;
  /** Its last sample, ms from the start. */
  endMs: number;
  /** What was heard of it. */
  text: string;
  /** Whether it was cut short (by an interrupt, or at the end of the run). */
  cut: boolean;
}

/** A time the floor speaker was ducked under someone's interjection. */
export interface TimelineDuck {
  /** The ducked speaker. */
  agentId: string;
  /** The interjecting agent. */
  byAgentId: string;
  /** From, ms from the start. */
  startMs: number;
  /** To, ms from the start. */
  endMs: number;
  /** How much the speaker was lowered, dB. */
  gainDb: number;
}

/** A hard interrupt: committed (the speaker was cut with a crossfade) or fallen back. */
export interface TimelineInterrupt {
  /** `interrupt-N`. */
  interruptId: string;
  /** Who interrupted. */
  kickerId: string;
  /** Who was (or would have been) cut. */
  speakerId: string;
  /** The cut (committed) or the decision (fallen back), ms from the start. */
  atMs: number;
  /** The crossfade length, ms (0 when fallen back). */
  crossfadeMs: number;
  /** The word at the cut, if any. */
  word: string | null;
  /** What happened. */
  outcome: 'committed' | 'fallen-back';
  /** Why (e.g. `audio-ready`, `audio-not-ready`). */
  reason: string;
}

/** Everything the timeline picture shows. Times are ms from the conversation's start. */
export interface TimelineModel {
  /** The picture's title (the topic). */
  title: string;
  /** A line under the title (preset, seed, length). */
  subtitle: string;
  /** The conversation's length, ms. */
  durationMs: number;
  /** One lane per agent, top to bottom. */
  lanes: TimelineLane[];
  /** Every bar, in order of start. */
  bars: TimelineBar[];
  /** Every duck. */
  ducks: TimelineDuck[];
  /** Every hard interrupt decision that was carried through or fell back. */
  interrupts: TimelineInterrupt[];
}

/** Lane colours, picked in order (a colour-blind-friendly palette). */
export const LANE_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#e15759',
  '#76b7b2',
  '#9c755f',
  '#edc948',
] as const;
