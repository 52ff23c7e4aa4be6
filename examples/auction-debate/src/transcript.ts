import type { ConversationEvent, ConversationStartEvent } from '@argentum/core';
import { formatClock } from './render-timeline-svg';

/** One line of the transcript. Times are ms from the conversation's start. */
export type TranscriptEntry =
  | {
      /** A turn on the floor. */
      kind: 'turn';
      /** Its first sample. */
      atMs: number;
      /** Its last sample. */
      endMs: number;
      /** `turn-N`. */
      turnId: string;
      /** The speaker. */
      agentId: string;
      /** The speaker's name. */
      name: string;
      /** How it got the floor. */
      cause: 'auction' | 'interrupt';
      /** What was heard (a cut turn ends where the cut fell). */
      text: string;
      /** Whether a hard interrupt cut it. */
      interrupted: boolean;
      /** Who cut it. */
      interruptedBy: string | null;
    }
  | {
      /** A short line said under someone else's turn, with that speaker ducked. */
      kind: 'interjection';
      /** Its first sample. */
      atMs: number;
      /** Its last sample. */
      endMs: number;
      /** The turn it was said under. */
      turnId: string;
      /** The interjector. */
      agentId: string;
      /** The interjector's name. */
      name: string;
      /** Support, clarify or challenge. */
      interjectionType: string;
      /** The speaker it reacted to. */
      targetAgentId: string;
      /** What it said. */
      text: string;
    }
  | {
      /** A committed hard interrupt: the speaker was cut at a word with a crossfade. */
      kind: 'interrupt';
      /** The cut. */
      atMs: number;
      /** `interrupt-N`. */
      interruptId: string;
      /** The turn cut. */
      turnId: string;
      /** The kicker. */
      agentId: string;
      /** The kicker's name. */
      name: string;
      /** The speaker cut. */
      targetAgentId: string;
      /** The word the cut fell on. */
      word: string | null;
      /** The crossfade, ms. */
      crossfadeMs: number;
      /** The fee paid, tokens. */
      fee: number;
    };

/** The transcript written to `transcript.json`. */
export interface Transcript {
  /** The topic. */
  topic: string;
  /** The preset id. */
  preset: string;
  /** The seed. */
  seed: number;
  /** The conversation's length, ms. */
  durationMs: number;
  /** The debaters. */
  agents: { agentId: string; name: string; stance: string; voice: string }[];
  /** Every turn, interjection and interrupt, in time order. */
  entries: TranscriptEntry[];
}

/**
 * Builds the transcript from a conversation's event log: turns (with what was heard of them),
 * played interjections and committed interrupts, in time order.
 */
export function buildTranscript(events: readonly ConversationEvent[]): Transcript {
  const start = startOf(events);
  const t0 = start.at;
  const names = new Map(start.agents.map((agent) => [agent.agentId, agent.name]));
  const nameOf = (agentId: string): string => names.get(agentId) ?? agentId;
  const entries: TranscriptEntry[] = [];
  const turnStarts = new Map<string, { cause: 'auction' | 'interrupt'; atMs: number }>();
  const clipEnds = new Map<string, number>();
  // A turn's text: its sentences as written when played to the end, the heard words of a cut one.
  const sentenceTexts = new Map<string, string>();
  const turnTexts = new Map<string, string[]>();
  for (const event of events) {
    if (event.type === 'segment-start') sentenceTexts.set(event.segmentId, event.text);
    if (event.type !== 'segment-end' || event.startedAt === null) continue;
    if (event.kind === 'interjection') {
      clipEnds.set(event.segmentId, event.startedAt + event.playedMs - t0);
      continue;
    }
    const text =
      event.outcome === 'end' ? (sentenceTexts.get(event.segmentId) ?? event.heardText) : event.heardText;
    if (text.trim() === '') continue;
    const pieces = turnTexts.get(event.turnId) ?? [];
    pieces.push(text.trim());
    turnTexts.set(event.turnId, pieces);
  }
  let endAt = t0;
  for (const event of events) {
    switch (event.type) {
      case 'turn-start':
        turnStarts.set(event.turnId, { cause: event.cause, atMs: event.actualAt - t0 });
        break;
      case 'turn-end': {
        if (event.startedAt === null) break;
        const atMs = event.startedAt - t0;
        entries.push({
          kind: 'turn',
          atMs,
          endMs: atMs + event.talkMs,
          turnId: event.turnId,
          agentId: event.agentId,
          name: nameOf(event.agentId),
          cause: turnStarts.get(event.turnId)?.cause ?? 'auction',
          text: turnTexts.get(event.turnId)?.join(' ') ?? event.heardText,
          interrupted: event.outcome === 'interrupted',
          interruptedBy: event.interruptedBy,
        });
        break;
      }
      case 'interjection':
        if (event.outcome !== 'played' || event.startedAt === null) break;
        entries.push({
          kind: 'interjection',
          atMs: event.startedAt - t0,
          endMs: clipEnds.get(event.clipId) ?? event.startedAt - t0,
          turnId: event.turnId,
          agentId: event.agentId,
          name: nameOf(event.agentId),
          interjectionType: event.interjectionType,
          targetAgentId: event.targetAgentId,
          text: event.text,
        });
        break;
      case 'interrupt':
        if (event.outcome !== 'committed' || event.beatAt === null) break;
        entries.push({
          kind: 'interrupt',
          atMs: event.beatAt - t0,
          interruptId: event.interruptId,
          turnId: event.turnId,
          agentId: event.agentId,
          name: nameOf(event.agentId),
          targetAgentId: event.speakerId,
          word: event.beatText,
          crossfadeMs: event.crossfadeMs,
          fee: event.fee,
        });
        break;
      case 'end':
        endAt = event.at;
        break;
      default:
        break;
    }
  }
  // Time order; at equal times the interrupt marker comes before the kicker's turn.
  const rank = { interrupt: 0, turn: 1, interjection: 2 } as const;
  entries.sort((a, b) => a.atMs - b.atMs || rank[a.kind] - rank[b.kind]);
  const lastEvent = events.at(-1);
  return {
    topic: start.topic,
    preset: start.preset,
    seed: start.seed,
    durationMs: Math.max(endAt, lastEvent?.at ?? t0) - t0,
    agents: start.agents.map((agent) => ({
      agentId: agent.agentId,
      name: agent.name,
      stance: agent.stance,
      voice: agent.voice,
    })),
    entries,
  };
}

/**
 * The readable transcript: a header, then one line per entry with a `[m:ss.t]` timestamp and the
 * speaker — interjections indented with `↳` and their type, interrupts marked with `✂` and the
 * cut word, cut turns ending in `—`.
 */
export function formatTranscriptText(transcript: Transcript): string {
  const names = new Map(transcript.agents.map((agent) => [agent.agentId, agent.name]));
  const nameOf = (agentId: string | null): string =>
    agentId === null ? '?' : (names.get(agentId) ?? agentId);
  const lines = [
    transcript.topic,
    `${transcript.preset} · seed ${transcript.seed} · ${transcript.agents.length} agents · ${formatClock(transcript.durationMs, true)}`,
    `Speakers: ${transcript.agents.map((agent) => `${agent.name} (${agent.stance}, voice ${agent.voice})`).join(', ')}`,
    '',
  ];
  for (const entry of transcript.entries) {
    const stamp = `[${formatClock(entry.atMs, true).padStart(6)}]`;
    switch (entry.kind) {
      case 'turn': {
        const how = entry.cause === 'interrupt' ? ', cutting in' : '';
        const text = entry.interrupted ? `${entry.text} —` : entry.text;
        lines.push(`${stamp} ${entry.name} (${entry.turnId}${how}): ${text}`);
        if (entry.interrupted)
          lines.push(`${' '.repeat(stamp.length)}   (cut off by ${nameOf(entry.interruptedBy)})`);
        break;
      }
      case 'interjection':
        lines.push(
          `${stamp}     ↳ ${entry.name} interjects (${entry.interjectionType}) under ${nameOf(entry.targetAgentId)}: "${entry.text}"`,
        );
        break;
      case 'interrupt':
        lines.push(
          `${stamp} ✂ ${entry.name} interrupts ${nameOf(entry.targetAgentId)}${entry.word === null ? '' : ` before "${entry.word}"`} (crossfade ${entry.crossfadeMs} ms, fee ${entry.fee} tokens)`,
        );
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The `start` event of a log. */
export function startOf(events: readonly ConversationEvent[]): ConversationStartEvent {
  const start = events[0];
  if (start?.type !== 'start') throw new Error('the event log does not begin with a start event');
  return start;
}
