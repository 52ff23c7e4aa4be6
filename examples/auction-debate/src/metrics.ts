import { type ConversationEvent, type ConversationSummary, summarizeConversation } from '@argentum/core';
import { startOf } from './transcript';

/** What `metrics.json` holds: the conversation summary plus the per-event detail behind it. */
export interface DebateMetrics {
  /** The scheduler time of the `start` event; every `at` in this file is on that clock. */
  timeOriginMs: number;
  /**
   * Core's summary of the event log: per-turn timings, talk shares and targets, handoff gaps
   * (p50/p95, histogram, mode), overlap, interjection and interrupt counts, beat drift, guard
   * bands and lead times, fairness (Jain's index), faults.
   */
  summary: ConversationSummary;
  /** Every auction: the bids with their multipliers, the resolver's probabilities and draw, the price. */
  auctions: {
    auctionId: string;
    turnId: string;
    at: number;
    speakerId: string | null;
    winner: string | null;
    price: number;
    reason: string;
    temperature: number;
    draw: number | undefined;
    leadTimeMs: number;
    prefetch: string;
    talkShares: Record<string, number>;
    bids: {
      agentId: string;
      status: string;
      amount: number;
      balance: number;
      latencyMs: number;
      multiplier: number;
      probability: number | undefined;
    }[];
  }[];
  /** The pacing feedback after every turn: shares, multipliers, balances, guard band, lead time. */
  pacing: {
    turnId: string;
    at: number;
    shares: Record<string, number>;
    multipliers: Record<string, number>;
    balances: Record<string, number>;
    fairness: number;
    leadTimeMs: number;
    missRate: number;
    commitGuardMs: number;
    firstChunkP95Ms: number;
  }[];
  /** Every segment's timing: planned vs actual start, first-chunk latency and the guard in force. */
  segments: {
    segmentId: string;
    turnId: string;
    agentId: string;
    kind: string;
    plannedAt: number;
    actualAt: number;
    driftMs: number;
    firstChunkLatencyMs: number;
    commitGuardMs: number;
    outcome: string | null;
    playedMs: number | null;
  }[];
  /** Every interrupt request: the policy's decision and, if allowed, the outcome. */
  interrupts: {
    interruptId: string;
    agentId: string;
    speakerId: string;
    turnId: string;
    at: number;
    urgency: number;
    allowed: boolean;
    policyReason: string;
    explanation: string;
    outcome: 'committed' | 'fallen-back' | null;
    outcomeReason: string | null;
    beatText: string | null;
    beatAt: number | null;
    commitGuardMs: number | null;
    readyBy: number | null;
    audioReadyAt: number | null;
    crossfadeMs: number | null;
    fee: number | null;
  }[];
  /** Every fault the conversation worked around. */
  faults: {
    at: number;
    agentId: string | null;
    task: string;
    code: string;
    action: string;
    message: string;
  }[];
}

/** Computes the metrics of a conversation from its event log (a pure function of the events). */
export function buildMetrics(events: readonly ConversationEvent[]): DebateMetrics {
  const start = startOf(events);
  const metrics: DebateMetrics = {
    timeOriginMs: start.at,
    summary: summarizeConversation(events),
    auctions: [],
    pacing: [],
    segments: [],
    interrupts: [],
    faults: [],
  };
  const segments = new Map<string, DebateMetrics['segments'][number]>();
  const interrupts = new Map<string, DebateMetrics['interrupts'][number]>();
  for (const event of events) {
    switch (event.type) {
      case 'auction':
        metrics.auctions.push({
          auctionId: event.auctionId,
          turnId: event.turnId,
          at: event.at,
          speakerId: event.speakerId,
          winner: event.winner,
          price: event.price,
          reason: event.result.reason,
          temperature: event.result.temperature,
          draw: event.result.draw,
          leadTimeMs: event.leadTimeMs,
          prefetch: event.prefetch,
          talkShares: event.talkShares,
          bids: event.bids.map((bid) => ({
            agentId: bid.agentId,
            status: bid.status,
            amount: bid.amount,
            balance: bid.balance,
            latencyMs: bid.latencyMs,
            multiplier: bid.multipliers.total,
            probability: event.result.entries.find((entry) => entry.agentId === bid.agentId)?.probability,
          })),
        });
        break;
      case 'pacing':
        metrics.pacing.push({
          turnId: event.turnId,
          at: event.at,
          shares: event.shares,
          multipliers: event.multipliers,
          balances: event.balances,
          fairness: event.fairness,
          leadTimeMs: event.leadTimeMs,
          missRate: event.missRate,
          commitGuardMs: event.commitGuardMs,
          firstChunkP95Ms: event.firstChunkP95Ms,
        });
        break;
      case 'segment-start': {
        const record = {
          segmentId: event.segmentId,
          turnId: event.turnId,
          agentId: event.agentId,
          kind: event.kind,
          plannedAt: event.plannedAt,
          actualAt: event.actualAt,
          driftMs: event.driftMs,
          firstChunkLatencyMs: event.firstChunkLatencyMs,
          commitGuardMs: event.commitGuardMs,
          outcome: null,
          playedMs: null,
        };
        segments.set(event.segmentId, record);
        metrics.segments.push(record);
        break;
      }
      case 'segment-end': {
        const record = segments.get(event.segmentId);
        if (record !== undefined) {
          record.outcome = event.outcome;
          record.playedMs = event.playedMs;
        }
        break;
      }
      case 'interrupt-decision': {
        const record: DebateMetrics['interrupts'][number] = {
          interruptId: event.interruptId,
          agentId: event.agentId,
          speakerId: event.speakerId,
          turnId: event.turnId,
          at: event.at,
          urgency: event.urgency,
          allowed: event.decision.allowed,
          policyReason: event.decision.reason,
          explanation: event.decision.explanation,
          outcome: null,
          outcomeReason: null,
          beatText: null,
          beatAt: null,
          commitGuardMs: null,
          readyBy: null,
          audioReadyAt: null,
          crossfadeMs: null,
          fee: null,
        };
        interrupts.set(event.interruptId, record);
        metrics.interrupts.push(record);
        break;
      }
      case 'interrupt': {
        const record = interrupts.get(event.interruptId);
        if (record === undefined) break;
        record.outcome = event.outcome;
        record.outcomeReason = event.reason;
        record.beatText = event.beatText;
        record.beatAt = event.beatAt;
        record.commitGuardMs = event.commitGuardMs;
        record.readyBy = event.readyBy;
        record.audioReadyAt = event.audioReadyAt;
        record.crossfadeMs = event.crossfadeMs;
        record.fee = event.fee;
        break;
      }
      case 'fault':
        metrics.faults.push({
          at: event.at,
          agentId: event.agentId,
          task: event.task,
          code: event.code,
          action: event.action,
          message: event.message,
        });
        break;
      default:
        break;
    }
  }
  return metrics;
}

/**
 * Serializes to JSON deterministically and readably: 2-space indent (or one line with
 * `compact`), numbers rounded to 3 decimals, `NaN`/`Infinity` written as `null`, `undefined`
 * fields left out.
 */
export function stableJson(value: unknown, compact = false): string {
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item !== 'number') return item;
      if (!Number.isFinite(item)) return null;
      return Math.round(item * 1000) / 1000;
    },
    compact ? undefined : 2,
  );
  return `${text}\n`;
}
