import type { RespondContext, TranscriptEntry } from './agent';
import type { ConversationRun } from './conversation-run';
import type { PreparedSegment } from './prepared-segment';
import { FIRST_AUDIO_STAGE, TTS_CHUNK_STAGE, type TurnState } from './run-types';
import { TurnSpeech } from './turn-speech';

/**
 * The sentence budget of an agent's next turn: the preset's limit scaled by its verbosity and by
 * pacing — an agent over its talk-share target gets shorter turns, one under it longer ones
 * (`target / share`, clamped to 0.5..1.5), so turn lengths join the bid multipliers in steering
 * shares toward their targets.
 */
function maxSentencesOf(run: ConversationRun, agentId: string): number {
  const { setup } = run;
  const verbosity = setup.personas[agentId]?.verbosity ?? 0.5;
  const share = setup.talk.shareOf(agentId);
  const target = setup.talk.targetOf(agentId);
  const pacing = setup.talk.turns === 0 ? 1 : Math.min(1.5, Math.max(0.5, target / Math.max(share, 1e-6)));
  return Math.max(1, Math.round(setup.preset.turns.maxSentences * (0.5 + verbosity) * pacing));
}

/**
 * Starts an agent's response and its TTS, sentence by sentence; failures become faults, and the
 * first audio feeds the profiler, the AIMD lead time and the listeners.
 * @internal
 */
export function startSpeech(
  run: ConversationRun,
  agentId: string,
  turnId: string,
  mode: 'turn' | 'interrupt',
  extra?: TranscriptEntry,
): TurnSpeech {
  const { setup } = run;
  const { timeouts } = setup.preset;
  const maxSentences = maxSentencesOf(run, agentId);
  const agent = setup.agents.find((candidate) => candidate.id === agentId);
  const speech = new TurnSpeech({
    agentId,
    runner: run.tasks,
    scheduler: setup.scheduler,
    tts: setup.ttsOf(agentId),
    voice: setup.voices[agentId] ?? agentId,
    sampleRate: setup.sampleRate,
    prosody: setup.emotion.prosodyOf(agentId),
    maxSentences,
    firstTextTimeoutMs: timeouts.firstSentenceMs,
    textIdleTimeoutMs: timeouts.textIdleMs,
    firstAudioTimeoutMs: timeouts.firstAudioMs,
    version: run.version,
    nextSegmentId: () => run.nextSegmentId(),
    onChange: () => run.pump(),
    onFailure: (task, failure, index) => {
      const turn = run.queue.find((candidate) => candidate.speech === speech);
      const action = task === 'respond' ? (index > 0 ? 'truncated' : 'skipped') : 'skipped';
      run.faults.report(agentId, turn?.id ?? turnId, task, failure, action);
    },
    onFirstAudio: (segment, latencyMs) => onFirstAudio(run, speech, segment, latencyMs),
  });
  const base = run.context(agentId);
  const context: RespondContext = {
    ...base,
    transcript:
      extra === undefined ? base.transcript : [...base.transcript, extra].slice(-setup.contextTurns),
    turnId,
    mode,
    maxSentences,
  };
  speech.start(
    () => {
      if (agent === undefined) throw new Error(`no agent ${agentId}`);
      return agent.respond(context);
    },
    mode === 'interrupt' ? 5 : 4,
  );
  return speech;
}

function onFirstAudio(
  run: ConversationRun,
  speech: TurnSpeech,
  segment: PreparedSegment,
  latencyMs: number,
): void {
  const { profiler } = run.setup;
  profiler.record(TTS_CHUNK_STAGE, latencyMs);
  if (speech.segments[0] === segment) profiler.record(FIRST_AUDIO_STAGE, run.now - speech.requestedAt);
  const turn = run.queue.find((candidate) => candidate.speech === speech);
  if (turn !== undefined && speech.segments[0] === segment) observeLead(run, turn, run.now);
  run.listeners.onFirstAudio(speech, segment);
}

/**
 * Tells the AIMD lead-time controller, once per turn, when its first audio was ready against
 * the planned handoff.
 * @internal
 */
export function observeLead(run: ConversationRun, turn: TurnState, readyAt: number): void {
  if (turn.leadObserved || turn.handoffDeadline === undefined) return;
  turn.leadObserved = true;
  run.setup.leadTime.observe({ readyAtMs: readyAt, deadlineMs: turn.handoffDeadline });
}
