import type { PlaybackBeatEvent } from '../controller/audio-controller';
import type { ListenContext, ListenerReaction } from './agent';
import { DEFAULT_MIN_HEARD_WORDS } from './conversation-preset';
import type { ConversationRun } from './conversation-run';
import { InterjectionDesk } from './interjection-desk';
import { InterruptDesk } from './interrupt-desk';
import type { PreparedSegment } from './prepared-segment';
import type { PlayedSegment, TurnState } from './run-types';
import type { TurnSpeech } from './turn-speech';

/**
 * The listeners' side of the floor: at each sentence beat every listener may react; accepted
 * interjections are synthesized and played ducked under the speaker through the single duck
 * lease; interrupt requests go through the policy, and an allowed one is prepared (the kicker's
 * audio prebuffered, top-1) and committed at a word beat at least the commit guard ahead — only
 * if the audio is ready by then — with a crossfade, or falls back. The desk asks the listeners
 * and routes their reactions; {@link InterjectionDesk} and {@link InterruptDesk} carry them out.
 * @internal
 */
export class ListenerDesk {
  private readonly interjections: InterjectionDesk;
  private readonly interrupts: InterruptDesk;

  constructor(private readonly run: ConversationRun) {
    this.interjections = new InterjectionDesk(run);
    this.interrupts = new InterruptDesk(run);
  }

  /** Whether an interjection or an interrupt is in progress. */
  get busy(): boolean {
    return this.interrupts.busy || this.interjections.busy;
  }

  teardown(): void {
    this.interrupts.teardown();
    this.interjections.teardown();
  }

  // ─── beats ────────────────────────────────────────────────────────────────────────────────

  onBeat(turn: TurnState, played: PlayedSegment, beat: PlaybackBeatEvent): void {
    const { run } = this;
    if (beat.kind !== 'sentence' || run.floor !== turn || turn.interruptedBy !== null || run.stopping) return;
    const { setup } = run;
    const heardText = turn.issued
      .filter((segment) => segment.status === 'ended' && segment.heardText.length > 0)
      .map((segment) => segment.heardText)
      .join(' ');
    // React to something said: nothing before a complete sentence and enough words were heard.
    const minHeardWords = setup.preset.interjection.minHeardWords ?? DEFAULT_MIN_HEARD_WORDS;
    if (heardText.length === 0 || countWords(heardText) < minHeardWords) return;
    for (const agent of setup.agents) {
      if (agent.id === turn.agentId || run.faults.inBackoff(agent.id)) continue;
      const base = run.context(agent.id);
      const context: ListenContext = {
        ...base,
        speakerId: turn.agentId,
        turnId: turn.id,
        heardText,
        beat: { kind: beat.kind, text: beat.text, index: beat.index },
        canInterrupt: !this.interrupts.busy && base.balance >= setup.preset.interrupt.baseFee,
      };
      run.tasks.run<ListenerReaction>({
        agentId: agent.id,
        version: run.version,
        priority: 1,
        whenBusy: 'skip',
        cancelOnContextChange: true,
        firstValueTimeoutMs: setup.preset.timeouts.interjectMs,
        idleTimeoutMs: Number.POSITIVE_INFINITY,
        start: () => agent.interject(context),
        onValue: (reaction) => this.onReaction(agent.id, turn, played, reaction),
        onComplete: () => undefined,
        onFailure: (failure) => {
          if (failure.kind === 'error') run.faults.report(agent.id, turn.id, 'interject', failure, 'skipped');
        },
      });
    }
  }

  private onReaction(
    agentId: string,
    turn: TurnState,
    played: PlayedSegment,
    reaction: ListenerReaction,
  ): void {
    const { run } = this;
    if (run.ended || run.stopping || run.floor !== turn || played.status !== 'playing') return;
    if (turn.interruptedBy !== null) return;
    if (reaction?.type === 'interjection') {
      if (!this.interrupts.busy) this.interjections.consider(agentId, turn, played, reaction);
    } else if (reaction?.type === 'interrupt')
      this.interrupts.consider(agentId, turn, played, reaction.urgency);
  }

  /** The kicker's first audio arrived (any speech): commit if it is the pending interrupt's. */
  onFirstAudio(speech: TurnSpeech, segment: PreparedSegment): void {
    this.interrupts.onFirstAudio(speech, segment);
  }

  /** A floor segment ended: a pending interrupt that targeted it can no longer land. */
  onSegmentEnded(played: PlayedSegment): void {
    this.interrupts.onSegmentEnded(played);
  }

  /** A graceful stop: a pending interrupt falls back; an interjection not yet playing is dropped. */
  onStop(): void {
    this.interrupts.onStale();
    this.interjections.onStop();
  }

  /** The context changed under a pending interrupt. */
  onDisrupt(): void {
    this.interrupts.onStale();
  }
}

/** Words in a text: whitespace-separated tokens with a letter or a digit. */
function countWords(text: string): number {
  let count = 0;
  for (const token of text.split(/\s+/u)) if (/[\p{L}\p{N}]/u.test(token)) count++;
  return count;
}
