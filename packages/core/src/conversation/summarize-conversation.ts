import { jainIndex } from '../auction/jain-index';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type {
  ConversationBeatEvent,
  ConversationEvent,
  ConversationStartEvent,
  SegmentStartEvent,
} from './conversation-events';
import type {
  AgentSummary,
  ConversationSummary,
  DurationStats,
  TranscriptLine,
  TurnSummary,
} from './conversation-summary';

/** Histogram bin width of handoff gaps, ms. */
const GAP_BIN_MS = 100;
/** A cut counts as mid-word when it falls more than this far inside a word, ms (the ≤ 10 ms stop fade). */
const MID_WORD_TOLERANCE_MS = 12;

/**
 * Computes the metrics of a conversation from its event log: per-turn timings, the transcript,
 * talk shares and Jain's fairness on share/target, handoff gaps (percentiles and a 100 ms
 * histogram with its mode), overlapped speech, interjection and interrupt counts (with mid-word
 * cuts and unguarded commits, both of which must be 0), beat drift, guard bands and lead times,
 * and faults. A pure function: equal logs give equal summaries.
 *
 * @param events - the events of one run, in order (e.g. collected from `events$`).
 * @returns the summary.
 * @throws {@link InvalidArgumentError} when `events` is not an array or lacks the `start` event.
 * @example
 * ```ts
 * const summary = summarizeConversation(events);
 * console.log(`gap mode ${summary.handoffGaps.modeBinStartMs}–${summary.handoffGaps.modeBinStartMs + 100} ms,`
 *   + ` overlap ${(summary.overlap.ratio * 100).toFixed(1)} %, Jain ${summary.fairness.jain.toFixed(3)}`);
 * ```
 */
export function summarizeConversation(events: readonly ConversationEvent[]): ConversationSummary {
  if (!Array.isArray(events))
    throw new InvalidArgumentError('events', 'expected an array of conversation events.');
  const start = events.find((event): event is ConversationStartEvent => event.type === 'start');
  if (start === undefined) {
    throw new InvalidArgumentError(
      'events',
      'the log has no start event: pass every event of the run, from the first.',
    );
  }
  const names = new Map(start.agents.map((agent) => [agent.agentId, agent.name]));
  const agents = new Map<string, AgentSummary>(
    start.agents.map((agent) => [
      agent.agentId,
      {
        agentId: agent.agentId,
        name: agent.name,
        turns: 0,
        talkMs: 0,
        share: 0,
        targetShare: agent.targetShare,
        interjections: 0,
        interruptsMade: 0,
        interruptsSuffered: 0,
        auctionsWon: 0,
        tokensSpent: 0,
      },
    ]),
  );
  const turns = new Map<string, TurnSummary>();
  const transcript: TranscriptLine[] = [];
  const gaps: number[] = [];
  const firstAudio: number[] = [];
  const drifts: number[] = [];
  let missedBeats = 0;
  const segmentStarts = new Map<string, SegmentStartEvent>();
  const wordBeats = new Map<string, ConversationBeatEvent[]>();
  const intervals: [number, number][] = [];
  const interjectionTypes: Record<string, number> = {};
  let played = 0;
  let dropped = 0;
  let requested = 0;
  let allowed = 0;
  let committed = 0;
  let fallenBack = 0;
  const fallbackReasons: Record<string, number> = {};
  let midWordCuts = 0;
  let unguardedCommits = 0;
  const cutSegments = new Set<string>();
  const faultCodes: Record<string, number> = {};
  let faultCount = 0;
  let auctionCount = 0;
  const guards: number[] = [];
  const leads: number[] = [];
  let firstChunkP95Ms = Number.NaN;
  let missRate = Number.NaN;
  let endReason: ConversationSummary['endReason'] = null;
  let endAt = start.at;
  const agentOf = (agentId: string): AgentSummary | undefined => agents.get(agentId);

  for (const event of events) {
    endAt = Math.max(endAt, event.at);
    switch (event.type) {
      case 'auction': {
        auctionCount++;
        const winner = event.winner === null ? undefined : agentOf(event.winner);
        if (winner !== undefined) {
          winner.auctionsWon++;
          winner.tokensSpent += event.price;
        }
        break;
      }
      case 'turn-start': {
        if (event.gapMs !== null) gaps.push(event.gapMs);
        firstAudio.push(event.firstAudioLatencyMs);
        turns.set(event.turnId, {
          turnId: event.turnId,
          agentId: event.agentId,
          cause: event.cause,
          auctionId: event.auctionId,
          startedAt: event.actualAt,
          endedAt: null,
          talkMs: 0,
          gapMs: event.gapMs,
          firstAudioLatencyMs: event.firstAudioLatencyMs,
          outcome: 'completed',
          text: '',
          interruptedBy: null,
          price: 0,
        });
        break;
      }
      case 'turn-end': {
        const turn = turns.get(event.turnId);
        if (turn === undefined) break;
        turn.endedAt = event.startedAt === null ? null : event.startedAt + event.talkMs;
        turn.talkMs = event.talkMs;
        turn.outcome = event.outcome;
        turn.text = event.heardText;
        turn.interruptedBy = event.interruptedBy;
        turn.price = event.price;
        const agent = agentOf(event.agentId);
        if (agent !== undefined) {
          agent.turns++;
          agent.talkMs += event.talkMs;
        }
        if (event.heardText.length > 0) {
          transcript.push({
            at: turn.startedAt ?? event.at,
            agentId: event.agentId,
            name: names.get(event.agentId) ?? event.agentId,
            kind: 'turn',
            text: event.heardText,
            interrupted: event.outcome === 'interrupted',
          });
        }
        break;
      }
      case 'segment-start':
        segmentStarts.set(event.segmentId, event);
        break;
      case 'beat':
        drifts.push(Math.abs(event.driftMs));
        if (event.missed) missedBeats++;
        if (event.kind === 'word') {
          const list = wordBeats.get(event.segmentId) ?? [];
          list.push(event);
          wordBeats.set(event.segmentId, list);
        }
        break;
      case 'segment-end': {
        const began = segmentStarts.get(event.segmentId);
        if (began !== undefined && event.playedMs > 0)
          intervals.push([began.actualAt, began.actualAt + event.playedMs]);
        if (event.kind === 'turn' && event.outcome === 'cancel') {
          cutSegments.add(event.segmentId);
          if (cutsMidWord(wordBeats.get(event.segmentId) ?? [], event.playedMs)) midWordCuts++;
        }
        break;
      }
      case 'interjection': {
        if (event.outcome === 'played') {
          played++;
          interjectionTypes[event.interjectionType] = (interjectionTypes[event.interjectionType] ?? 0) + 1;
          const agent = agentOf(event.agentId);
          if (agent !== undefined) agent.interjections++;
          transcript.push({
            at: event.startedAt ?? event.at,
            agentId: event.agentId,
            name: names.get(event.agentId) ?? event.agentId,
            kind: 'interjection',
            text: event.text,
            interrupted: false,
          });
        } else {
          dropped++;
        }
        break;
      }
      case 'interrupt-decision':
        requested++;
        if (event.decision.allowed) allowed++;
        break;
      case 'interrupt':
        if (event.outcome === 'committed') {
          committed++;
          const kicker = agentOf(event.agentId);
          if (kicker !== undefined) {
            kicker.interruptsMade++;
            kicker.tokensSpent += event.fee;
          }
          const speaker = agentOf(event.speakerId);
          if (speaker !== undefined) speaker.interruptsSuffered++;
          const guarded =
            event.beatAt !== null && event.beatAt - event.decidedAt >= event.commitGuardMs - 1e-6;
          const ready =
            event.audioReadyAt !== null &&
            event.readyBy !== null &&
            event.audioReadyAt <= event.readyBy + 1e-6;
          if (!guarded || !ready) unguardedCommits++;
        } else {
          fallenBack++;
          fallbackReasons[event.reason] = (fallbackReasons[event.reason] ?? 0) + 1;
        }
        break;
      case 'pacing':
        guards.push(event.commitGuardMs);
        leads.push(event.leadTimeMs);
        firstChunkP95Ms = event.firstChunkP95Ms;
        missRate = event.missRate;
        break;
      case 'fault':
        faultCount++;
        faultCodes[event.code] = (faultCodes[event.code] ?? 0) + 1;
        break;
      case 'end':
        endReason = event.reason;
        break;
      default:
        break;
    }
  }

  const totalTalk = [...agents.values()].reduce((sum, agent) => sum + agent.talkMs, 0);
  const shares: Record<string, number> = {};
  const targets: Record<string, number> = {};
  const ratios: number[] = [];
  for (const agent of agents.values()) {
    agent.share = totalTalk > 0 ? agent.talkMs / totalTalk : 0;
    shares[agent.agentId] = agent.share;
    targets[agent.agentId] = agent.targetShare;
    ratios.push(agent.targetShare > 0 ? agent.share / agent.targetShare : 0);
  }
  transcript.sort((a, b) => a.at - b.at);
  const histogram: Record<string, number> = {};
  for (const gap of gaps) {
    const bin = Math.floor(gap / GAP_BIN_MS) * GAP_BIN_MS;
    histogram[String(bin)] = (histogram[String(bin)] ?? 0) + 1;
  }
  let modeBinStartMs = Number.NaN;
  let modeCount = 0;
  for (const [bin, count] of Object.entries(histogram)) {
    const start = Number(bin);
    if (count > modeCount || (count === modeCount && start < modeBinStartMs)) {
      modeCount = count;
      modeBinStartMs = start;
    }
  }
  const overlap = overlapOf(intervals);
  const startedTurns = [...turns.values()].filter((turn) => turn.startedAt !== null).length;
  const driftStats = durationStats(drifts);
  return {
    topic: start.topic,
    preset: start.preset,
    seed: start.seed,
    durationMs: endAt - start.at,
    endReason,
    turns: [...turns.values()],
    transcript,
    agents: [...agents.values()],
    auctionCount,
    handoffGaps: { ...durationStats(gaps), binMs: GAP_BIN_MS, histogram, modeBinStartMs },
    overlap,
    interjections: {
      played,
      dropped,
      byType: interjectionTypes,
      shareOfContributions: startedTurns + played > 0 ? played / (startedTurns + played) : 0,
    },
    interrupts: { requested, allowed, committed, fallenBack, fallbackReasons, midWordCuts, unguardedCommits },
    drift: {
      beats: drifts.length,
      meanAbsoluteMs: driftStats.meanMs,
      p95AbsoluteMs: driftStats.p95Ms,
      maxAbsoluteMs: driftStats.maxMs,
      missed: missedBeats,
    },
    timing: {
      firstAudioLatency: durationStats(firstAudio),
      commitGuardMs: {
        first: guards[0] ?? Number.NaN,
        last: guards.at(-1) ?? Number.NaN,
        max: guards.length > 0 ? Math.max(...guards) : Number.NaN,
      },
      leadTimeMs: {
        first: leads[0] ?? Number.NaN,
        last: leads.at(-1) ?? Number.NaN,
        min: leads.length > 0 ? Math.min(...leads) : Number.NaN,
        max: leads.length > 0 ? Math.max(...leads) : Number.NaN,
      },
      firstChunkP95Ms,
      missRate,
    },
    fairness: { jain: ratios.length > 0 ? jainIndex(ratios) : Number.NaN, shares, targets },
    faults: { count: faultCount, byCode: faultCodes },
  };
}

/** Whether a segment cut after `playedMs` of audio stopped inside one of its heard words. */
function cutsMidWord(words: readonly ConversationBeatEvent[], playedMs: number): boolean {
  for (const word of words) {
    const end = word.offsetMs + word.durationMs;
    if (word.offsetMs + MID_WORD_TOLERANCE_MS < playedMs && playedMs < end - MID_WORD_TOLERANCE_MS)
      return true;
  }
  return false;
}

/** Time covered by ≥ 1 and by ≥ 2 intervals. */
function overlapOf(intervals: readonly [number, number][]): ConversationSummary['overlap'] {
  const edges: [number, number][] = [];
  for (const [from, to] of intervals) {
    edges.push([from, 1], [to, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let depth = 0;
  let last = 0;
  let talkMs = 0;
  let overlapMs = 0;
  for (const [at, step] of edges) {
    if (depth >= 1) talkMs += at - last;
    if (depth >= 2) overlapMs += at - last;
    depth += step;
    last = at;
  }
  return { overlapMs, talkMs, ratio: talkMs > 0 ? overlapMs / talkMs : 0 };
}

/** Min, lower p50/p95, max and mean. */
function durationStats(values: readonly number[]): DurationStats {
  if (values.length === 0) {
    return {
      count: 0,
      minMs: Number.NaN,
      p50Ms: Number.NaN,
      p95Ms: Number.NaN,
      maxMs: Number.NaN,
      meanMs: Number.NaN,
    };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
  return {
    count: sorted.length,
    minMs: sorted[0] as number,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: sorted.at(-1) as number,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}
