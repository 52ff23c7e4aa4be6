import { jainIndex } from '../auction/jain-index';
import type { ConversationRun } from './conversation-run';
import { TTS_CHUNK_STAGE, type TurnState } from './run-types';

/**
 * Removes a planned turn that never started: its segments are skipped, its price refunded.
 * @internal
 */
export function dropTurn(run: ConversationRun, turn: TurnState, outcome: 'cancelled' | 'failed'): void {
  const index = run.queue.indexOf(turn);
  if (index < 0) return;
  turn.closed = true;
  turn.speech.cancel();
  for (const played of turn.issued) run.endSegment(played, 'skipped', 'stale', 0, '');
  if (turn.price > 0) run.setup.bank.refund(turn.agentId, turn.price);
  run.queue.splice(index, 1);
  turn.status = 'ended';
  run.emit({
    type: 'turn-end',
    at: run.now,
    turnId: turn.id,
    agentId: turn.agentId,
    outcome,
    startedAt: null,
    talkMs: 0,
    heardText: '',
    interruptedBy: null,
    price: 0,
  });
}

/**
 * Ends every closed turn whose segments all ended: one that never started is dropped, one that
 * played is finished (transcript, talk share, pacing, `turn-end` and `pacing` events).
 * @internal
 */
export function finishClosedTurns(run: ConversationRun): void {
  for (const turn of [...run.queue]) {
    if (!turn.closed || turn.issued.some((played) => played.status !== 'ended')) continue;
    if (turn.status === 'pending') {
      dropTurn(
        run,
        turn,
        turn.speech.textFailed || turn.speech.segments.some((s) => s.failed) ? 'failed' : 'cancelled',
      );
      if (turn.speech.textFailed) run.disrupt();
      continue;
    }
    if (turn.status === 'playing') finishTurn(run, turn);
  }
}

function finishTurn(run: ConversationRun, turn: TurnState): void {
  const { setup } = run;
  turn.status = 'ended';
  const index = run.queue.indexOf(turn);
  if (index >= 0) run.queue.splice(index, 1);
  const started = turn.issued.filter((played) => played.startedAt !== undefined);
  const first = started[0];
  const last = started.at(-1);
  const talkMs =
    first === undefined || last === undefined
      ? 0
      : (last.startedAt as number) + last.playedMs - (first.startedAt as number);
  const heardText = started
    .map((played) => played.heardText)
    .filter((text) => text.length > 0)
    .join(' ');
  const outcome =
    turn.interruptedBy !== null
      ? 'interrupted'
      : turn.speech.textFailed || turn.speech.segments.some((segment) => segment.failed)
        ? 'truncated'
        : (run.pastDeadline() && turn.issued.length < turn.speech.segments.length) ||
            run.stoppedTurns.has(turn)
          ? 'cancelled'
          : 'completed';
  if (heardText.length > 0) {
    run.transcript.push({
      agentId: turn.agentId,
      name: setup.personas[turn.agentId]?.name ?? turn.agentId,
      kind: 'turn',
      turnId: turn.id,
      text: heardText,
      interrupted: turn.interruptedBy !== null,
      at: turn.startedAt ?? run.now,
    });
    setup.emotion.observe({ type: 'utterance', agentId: turn.agentId, text: heardText, at: run.now });
  }
  if (turn.evidenceQuality !== undefined && outcome === 'completed') {
    setup.reputation.observe({
      type: 'evidence',
      agentId: turn.agentId,
      quality: turn.evidenceQuality,
      at: run.now,
    });
  }
  setup.talk.record({ agentId: turn.agentId, durationMs: talkMs, at: run.now });
  setup.pacing.update(setup.talk);
  run.emit({
    type: 'turn-end',
    at: run.now,
    turnId: turn.id,
    agentId: turn.agentId,
    outcome,
    startedAt: turn.startedAt ?? null,
    talkMs,
    heardText,
    interruptedBy: turn.interruptedBy,
    price: turn.price,
  });
  emitPacing(run, turn.id);
  if (outcome === 'truncated') run.disrupt(run.queue.map((candidate) => candidate.speech));
}

function emitPacing(run: ConversationRun, turnId: string): void {
  const { setup } = run;
  setup.bank.sync();
  const shares: Record<string, number> = {};
  const targets: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const multipliers: Record<string, number> = {};
  const balances: Record<string, number> = {};
  const ratios: number[] = [];
  for (const agentId of setup.agentIds) {
    shares[agentId] = setup.talk.shareOf(agentId);
    targets[agentId] = setup.talk.targetOf(agentId);
    errors[agentId] = setup.pacing.errorOf(agentId);
    multipliers[agentId] = setup.pacing.multiplierOf(agentId);
    balances[agentId] = setup.bank.balanceOf(agentId);
    ratios.push((shares[agentId] as number) / Math.max(1e-9, targets[agentId] as number));
  }
  run.emit({
    type: 'pacing',
    at: run.now,
    turnId,
    shares,
    targets,
    errors,
    multipliers,
    balances,
    fairness: jainIndex(ratios),
    leadTimeMs: setup.leadTime.leadTimeMs,
    missRate: setup.leadTime.missRate,
    commitGuardMs: setup.guard.commitGuardMs,
    firstChunkP95Ms: setup.profiler.estimator(TTS_CHUNK_STAGE).quantile(0.95),
  });
}
