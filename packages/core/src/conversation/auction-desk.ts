import type { Subscription } from 'rxjs';
import { estimateBeats } from '../controller/estimate-beats';
import type { AgentBid, BidContext, TranscriptEntry } from './agent';
import type { BidRecord } from './conversation-events';
import type { ConversationRun } from './conversation-run';
import type { PreparedSegment } from './prepared-segment';
import type { TurnState } from './run-types';
import { observeLead } from './speech-start';
import type { TaskHandle } from './task-runner';
import type { TurnSpeech } from './turn-speech';

/**
 * The auctions of a run and the reserve prefetch: an auction is held when the floor is free, or
 * the AIMD lead time before the floor turn's planned end; bids are requested concurrently (with
 * timeouts), resolved with the pacing, reputation and emotion multipliers, and the winner's turn
 * is queued — reusing the prefetched opening when the likely speaker won. Three empty auctions in
 * a row with nothing on the floor end the run.
 * @internal
 */
export class AuctionDesk {
  private pending = false;
  private timer: Subscription | undefined;
  private tasks: TaskHandle[] = [];
  private emptyAuctions = 0;
  private prefetch: { agentId: string; speech: TurnSpeech; version: number } | undefined;

  constructor(private readonly run: ConversationRun) {}

  /** Whether an auction is scheduled or in progress. */
  get busy(): boolean {
    return this.pending;
  }

  /** Schedules the next auction if the floor is free, or its turn's planned end is known. */
  plan(): void {
    const { run } = this;
    if (run.ended || this.pending) return;
    if (run.queue.length === 0) {
      if (!run.limitReached()) this.schedule(run.now, run.now + run.setup.preset.turns.handoffGapMs);
      return;
    }
    if (run.queue.length !== 1) return;
    const floor = run.queue[0] as TurnState;
    if (!floor.speech.textDone || floor.status !== 'playing' || floor.interruptedBy !== null) return;
    if (run.limitReached()) return;
    const plannedEnd = this.plannedEndOf(floor);
    if (plannedEnd === undefined) return;
    const gap = run.setup.preset.turns.handoffGapMs;
    // Bids and the reserve prefetch both start the AIMD lead time before the planned end.
    this.schedule(Math.max(run.now, plannedEnd - run.setup.leadTime.leadTimeMs), plannedEnd + gap);
  }

  /** Holds an auction at `at` for a handoff at `handoffAt` (scheduler ms), unless one is pending. */
  schedule(at: number, handoffAt: number): void {
    if (this.pending) return;
    this.pending = true;
    this.timer = this.run.addTimer(at - this.run.now, () => this.hold(handoffAt));
  }

  /** Cancels an auction in progress (an interrupt took the floor). */
  cancel(): void {
    for (const handle of this.tasks) handle.cancel();
    this.tasks = [];
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.pending = false;
  }

  /** Cancels the reserve prefetch. */
  cancelPrefetch(): void {
    this.prefetch?.speech.cancel();
    this.prefetch = undefined;
  }

  /** Cancels a reserve prefetch made for an older context version than `version`. */
  dropStalePrefetch(version: number): void {
    if (this.prefetch !== undefined && this.prefetch.version < version) {
      this.prefetch.speech.cancel();
      this.prefetch = undefined;
    }
  }

  /** Unsubscribes the auction timer (the run is over). */
  stopTimer(): void {
    this.timer?.unsubscribe();
  }

  /** The floor turn's planned end: known segment ends plus estimates for the rest. */
  private plannedEndOf(turn: TurnState): number | undefined {
    const { preset } = this.run.setup;
    let end: number | undefined;
    for (const played of turn.issued) {
      const projected = this.run.projectedEnd(played);
      if (projected === undefined) return undefined;
      end = projected;
    }
    if (end === undefined) return undefined;
    for (let i = turn.issued.length; i < turn.speech.segments.length; i++) {
      const segment = turn.speech.segments[i] as PreparedSegment;
      const duration = segment.durationMs ?? estimateBeats(segment.text).durationMs;
      end += preset.turns.sentenceGapMs + duration;
    }
    return end;
  }

  /**
   * Pre-generates the likely next speaker's opening while the floor turn plays. It starts with
   * the auction, the AIMD lead time before the floor turn's planned end (after the bids were
   * requested, so the likely winner's bid is not held behind its own response).
   */
  private startPrefetch(): void {
    const { run } = this;
    const { setup } = run;
    const floor = run.queue[0];
    if (this.prefetch !== undefined || run.queue.length !== 1 || floor === undefined) return;
    if (!floor.speech.textDone || floor.status !== 'playing' || floor.interruptedBy !== null) return;
    setup.bank.sync();
    let best: string | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const agentId of setup.agentIds) {
      if (!this.eligible(agentId, floor.agentId)) continue;
      const score =
        setup.bank.balanceOf(agentId) *
        setup.pacing.multiplierOf(agentId) *
        setup.reputation.multiplierOf(agentId) *
        setup.emotion.multiplierOf(agentId);
      if (score > bestScore) {
        bestScore = score;
        best = agentId;
      }
    }
    if (best === undefined) return;
    const entry: TranscriptEntry = {
      agentId: floor.agentId,
      name: setup.personas[floor.agentId]?.name ?? floor.agentId,
      kind: 'turn',
      turnId: floor.id,
      text: floor.speech.text,
      interrupted: false,
      at: floor.startedAt ?? run.now,
    };
    this.prefetch = {
      agentId: best,
      speech: run.speak(best, `turn-${run.turnCount + 1}`, 'turn', entry),
      version: run.version,
    };
  }

  private eligible(agentId: string, speakerId: string | undefined): boolean {
    const { run } = this;
    if (run.faults.inBackoff(agentId)) return false;
    return !(
      agentId === speakerId &&
      !run.setup.preset.turns.allowConsecutiveTurns &&
      run.setup.agentIds.length > 1
    );
  }

  /** Requests every eligible agent's bid; resolves when all answered (or timed out). */
  private hold(handoffAt: number): void {
    const { run } = this;
    const { setup } = run;
    this.timer = undefined;
    if (run.limitReached()) {
      this.pending = false;
      run.pump();
      return;
    }
    setup.bank.sync();
    const speakerId = run.queue[0]?.agentId ?? run.lastTurnEntry()?.agentId;
    const auctionId = `auction-${run.turnCount + 1}`;
    const requestedAt = run.now;
    const version = run.version;
    const records = new Map<string, BidRecord>();
    const answers = new Map<string, AgentBid | null>();
    let waiting = 0;
    let spawning = true;
    const settle = (): void => {
      if (waiting > 0 || spawning || run.ended) return;
      this.tasks = [];
      if (run.version !== version) {
        // The floor changed under the auction: hold it again later.
        this.pending = false;
        run.pump();
        return;
      }
      this.resolve(auctionId, speakerId ?? null, records, answers, handoffAt);
    };
    this.tasks = [];
    for (const agent of setup.agents) {
      const agentId = agent.id;
      const excluded = !this.eligible(agentId, speakerId);
      const record: BidRecord = {
        agentId,
        status: excluded ? (run.faults.inBackoff(agentId) ? 'backoff' : 'excluded') : 'pass',
        requestedAmount: 0,
        amount: 0,
        evidenceQuality: undefined,
        balance: setup.bank.balanceOf(agentId),
        latencyMs: 0,
        multipliers: { pacing: 1, reputation: 1, emotion: 1, total: 1 },
      };
      records.set(agentId, record);
      if (excluded) continue;
      waiting++;
      const context: BidContext = { ...run.context(agentId), auctionId };
      let answered = false;
      let cancelled = false;
      const done = (bid: AgentBid | null, status: BidRecord['status']): void => {
        if (answered) return;
        answered = true;
        record.status = status;
        record.latencyMs = run.now - requestedAt;
        answers.set(agentId, bid);
        waiting--;
        settle();
      };
      let handle: TaskHandle | undefined;
      handle = run.tasks.run<AgentBid>({
        agentId,
        version,
        priority: 2,
        whenBusy: 'queue',
        cancelOnContextChange: true,
        firstValueTimeoutMs: setup.preset.timeouts.bidMs,
        timeoutFrom: 'start',
        idleTimeoutMs: Number.POSITIVE_INFINITY,
        start: () => agent.bid({ ...context, now: run.now, version: run.version }),
        onValue: (bid) => {
          done(bid, 'bid');
          // One bid is enough: stop the agent's stream (after `run` returned, if it emitted at once).
          if (handle !== undefined) handle.cancel();
          else cancelled = true;
        },
        onComplete: () => done(null, 'pass'),
        onFailure: (failure) => {
          run.faults.report(agentId, null, 'bid', failure, 'fallback');
          done(null, failure.kind === 'timeout' ? 'timeout' : 'error');
        },
      });
      if (handle !== undefined) {
        if (cancelled) handle.cancel();
        else this.tasks.push(handle);
      }
    }
    spawning = false;
    this.startPrefetch();
    settle();
  }

  private resolve(
    auctionId: string,
    speakerId: string | null,
    records: Map<string, BidRecord>,
    answers: Map<string, AgentBid | null>,
    handoffAt: number,
  ): void {
    const { run } = this;
    const { setup } = run;
    setup.bank.sync();
    const bids = [];
    for (const [agentId, record] of records) {
      if (record.status === 'excluded' || record.status === 'backoff' || record.status === 'error') continue;
      const answer = answers.get(agentId) ?? null;
      const requested = answer !== null && Number.isFinite(answer.amount) ? Math.max(0, answer.amount) : 0;
      const balance = setup.bank.balanceOf(agentId);
      record.balance = balance;
      record.requestedAmount = requested;
      record.amount = Math.min(requested, balance);
      if (record.status === 'bid' && record.amount === 0) record.status = 'pass';
      const quality = answer?.evidenceQuality;
      record.evidenceQuality = quality !== undefined && quality >= 0 && quality <= 1 ? quality : undefined;
      const pacing = setup.pacing.multiplierOf(agentId);
      const reputation = setup.reputation.multiplierOf(agentId);
      const emotion = setup.emotion.multiplierOf(agentId);
      record.multipliers = { pacing, reputation, emotion, total: pacing * reputation * emotion };
      bids.push({
        agentId,
        amount: record.amount,
        evidenceQuality: record.evidenceQuality,
        talkShare: setup.talk.shareOf(agentId),
      });
    }
    if (bids.length === 0) {
      this.pending = false;
      this.emptyAuctions++;
      if (this.emptyAuctions >= 3 && run.queue.length === 0) {
        run.finish('no-bids');
        return;
      }
      const retryAt = Math.min(run.now + 1000, ...run.faults.pendingBackoffEnds());
      this.schedule(retryAt, Math.max(handoffAt, retryAt));
      return;
    }
    this.emptyAuctions = 0;
    const result = setup.resolver.resolve({ bids, at: run.now });
    const winner = result.winner as string;
    const price = result.entries[result.winnerIndex]?.bid ?? 0;
    if (price > 0) setup.bank.spend(winner, Math.min(price, setup.bank.balanceOf(winner)));
    run.turnCount++;
    const turnId = `turn-${run.turnCount}`;
    let prefetch: 'hit' | 'miss' | 'none' = 'none';
    let speech: TurnSpeech;
    const reserved = this.prefetch;
    this.prefetch = undefined;
    if (reserved !== undefined && reserved.agentId === winner && reserved.version === run.version) {
      prefetch = 'hit';
      speech = reserved.speech;
    } else {
      if (reserved !== undefined) {
        prefetch = 'miss';
        reserved.speech.cancel();
      }
      speech = run.speak(winner, turnId, 'turn');
    }
    const shares: Record<string, number> = {};
    for (const agentId of setup.agentIds) shares[agentId] = setup.talk.shareOf(agentId);
    run.emit({
      type: 'auction',
      at: run.now,
      auctionId,
      turnId,
      speakerId,
      bids: [...records.values()],
      result,
      winner,
      price,
      talkShares: shares,
      leadTimeMs: setup.leadTime.leadTimeMs,
      prefetch,
    });
    const turn: TurnState = {
      id: turnId,
      agentId: winner,
      cause: 'auction',
      auctionId,
      interruptId: null,
      price,
      evidenceQuality: records.get(winner)?.evidenceQuality,
      speech,
      issued: [],
      closed: false,
      status: 'pending',
      startedAt: undefined,
      interruptedBy: null,
      prefetched: prefetch === 'hit',
      handoffDeadline: run.queue.length > 0 ? handoffAt : undefined,
      leadObserved: false,
    };
    run.queue.push(turn);
    this.pending = false;
    if (speech.firstAudioAt !== undefined) observeLead(run, turn, run.now);
    run.pump();
  }
}
