import type { SchedulerAction } from 'rxjs';
import type { CancelReplyEffect } from '../session/session-effect';
import type { Reply } from './agent-reply';
import type { SessionRuntime } from './session-runtime';
import type { SessionTurns } from './session-turns';

/** How a session paces its output. @internal */
export interface ReplyPlayoutOptions {
  /** How often the paced output releases audio. */
  chunkMs: number;
  /** How far ahead of the client's clock audio is released. */
  leadMs: number;
}

/**
 * A session's paced output of its replies: audio is released `leadMs` ahead of the client's
 * playback clock, every `chunkMs`; the position and the heard text come from that clock and the
 * TTS word marks; a pause freezes the output at once and a resume re-sends from the paused position
 * as a new segment (the client dropped its buffer). The reducer hears of it as of an audio
 * controller: `audio-start`, `audio-end`, `audio-cancel` with the heard text.
 * @internal
 */
export class ReplyPlayout {
  readonly #runtime: SessionRuntime;
  readonly #turns: SessionTurns;
  readonly #chunkMs: number;
  readonly #leadMs: number;
  /** Whether the reducer paused the output (`pause-output`) — a barge-in is being judged. */
  #outputPaused = false;

  constructor(runtime: SessionRuntime, turns: SessionTurns, options: ReplyPlayoutOptions) {
    this.#runtime = runtime;
    this.#turns = turns;
    this.#chunkMs = options.chunkMs;
    this.#leadMs = options.leadMs;
  }

  /** The reducer's `play-reply`: the reply may play once it has something to play. */
  play(replyId: string): void {
    const reply = this.#turns.get(replyId);
    if (reply === undefined) return;
    reply.playing = true;
    this.tryStart(reply);
  }

  /** Starts the reply's paced output once the reducer said `play-reply` and the output is not paused. */
  tryStart(reply: Reply): void {
    if (reply.done || !reply.playing || this.#outputPaused) return;
    const playback = reply.playback;
    if (playback === undefined) {
      if (reply.textDone) this.#playedOut(reply);
      return;
    }
    if (playback.started) return;
    if (playback.totalMs > 0) this.#start(reply);
    else if (playback.ended) this.#playedOut(reply);
  }

  /** The reducer's `pause-output`: freeze the paced output at once (a reply not yet playing is held). */
  pause(): void {
    this.#outputPaused = true;
    const reply = this.#turns.current();
    const playback = reply?.playback;
    if (reply === undefined || playback === undefined || !playback.started || playback.paused) return;
    const now = this.#runtime.scheduler.now();
    const positionMs = playback.pause(now);
    reply.ticker?.unsubscribe();
    const onsetAt = this.#runtime.machine().bargeIn?.onsetAt ?? now;
    reply.metrics.pauseLatencyMs = Math.max(0, now - onsetAt);
    reply.trace.playoutPaused(positionMs);
    this.#runtime.emit({ type: 'agent-paused', responseId: reply.id, positionMs, at: now });
  }

  /** The reducer's `resume-output`: a false interruption resumes from the paused position (or releases a held reply). */
  resume(): void {
    this.#outputPaused = false;
    const reply = this.#turns.current();
    if (reply === undefined || reply.done) return;
    const playback = reply.playback;
    if (playback?.started && playback.paused) {
      const now = this.#runtime.scheduler.now();
      const positionMs = playback.resume(now);
      reply.trace.playoutResumed(positionMs);
      this.#runtime.emit({
        type: 'agent-resumed',
        responseId: reply.id,
        segment: playback.segment,
        positionMs,
        at: now,
      });
      this.#startTicker(reply);
      return;
    }
    this.tryStart(reply);
  }

  /** The reducer's `cancel-reply`: stop producing the reply, cut its output, report what was heard. */
  cancel(effect: CancelReplyEffect): void {
    const reply = this.#turns.forCancel(effect.replyId, effect.contextVersion);
    if (reply === undefined || reply.done) return;
    if (effect.reason === 'stop') {
      this.#turns.drop(reply);
      return;
    }
    const now = this.#runtime.scheduler.now();
    const playback = reply.playback;
    // The stage the cut landed in: audio was playing, or the TTS / the agent was still working.
    const cutStage = playback?.started ? 'playout' : reply.textDone ? 'tts' : 'llm';
    let heardText = '';
    let playedMs = 0;
    if (playback?.started) {
      playedMs = playback.pause(now);
      heardText = playback.heardText(playedMs, reply.text);
      this.sendResponseText(reply);
      this.#runtime.emit({
        type: 'agent-interrupted',
        responseId: reply.id,
        agent: reply.agent,
        originalText: reply.text.trim(),
        heardText,
        playedMs,
        at: now,
      });
      const lastSentAt = playback.lastSentAt;
      reply.metrics.tailMs = Number.isNaN(lastSentAt) ? 0 : Math.max(0, lastSentAt - now);
    }
    this.#turns.close(reply);
    reply.trace.interrupted(reply.agent, cutStage, playedMs);
    this.#turns.emitMetrics(reply, true, playedMs);
    if (reply.ready) {
      this.#turns.awaitCommit(reply);
      this.#runtime.dispatch({ type: 'audio-cancel', at: now, replyId: reply.id, heardText });
    }
  }

  /** Reports the reply's whole text (`agent-response`), once. */
  sendResponseText(reply: Reply): void {
    if (reply.responseSent || reply.text.trim().length === 0) return;
    reply.responseSent = true;
    this.#runtime.emit({
      type: 'agent-response',
      responseId: reply.id,
      agent: reply.agent,
      text: reply.text.trim(),
      at: this.#runtime.scheduler.now(),
    });
  }

  #start(reply: Reply): void {
    const playback = reply.playback!;
    const now = this.#runtime.scheduler.now();
    playback.start(now);
    reply.trace.playoutStarted();
    if (reply.userSpeechEndAt !== undefined) reply.metrics.endToEndMs = now - reply.userSpeechEndAt;
    this.#runtime.dispatch({ type: 'audio-start', at: now, replyId: reply.id });
    this.#startTicker(reply);
  }

  /** The reply's output played to its end: `audio-end` (the reducer then commits the agent turn). */
  #playedOut(reply: Reply): void {
    if (reply.done) return;
    reply.ticker?.unsubscribe();
    this.sendResponseText(reply);
    this.#turns.close(reply);
    this.#turns.awaitCommit(reply);
    this.#runtime.dispatch({
      type: 'audio-end',
      at: this.#runtime.scheduler.now(),
      replyId: reply.id,
      heardText: reply.text.trim(),
    });
  }

  /**
   * Ticks every `chunkMs` on a fixed grid from the start: each tick reschedules its own action
   * (`this.schedule` — a real-time action is reused, so a tick allocates nothing; a virtual one
   * chains a new action, as RxJS's do, for as long as the reply plays) due one period after its own
   * due time, not after the moment it ran — a tick that ran late does not push the following ones
   * back, so a reply's ticks do not drift behind its playback clock. A tick that ran more than a
   * period late goes on at the next grid point still ahead. The reply is the action's state and its
   * due time a field of the reply.
   */
  #startTicker(reply: Reply): void {
    reply.ticker?.unsubscribe();
    const scheduler = this.#runtime.scheduler;
    reply.tickDueAt = scheduler.now();
    reply.ticker = scheduler.schedule(this.#onTick, 0, reply);
  }

  readonly #onTick = ((playout: ReplyPlayout) =>
    function tick(this: SchedulerAction<Reply>, reply?: Reply): void {
      if (reply === undefined || !playout.#tick(reply)) return;
      const periodMs = playout.#chunkMs;
      const now = playout.#runtime.scheduler.now();
      const missed = Math.floor((now - reply.tickDueAt) / periodMs);
      const dueAt = reply.tickDueAt + periodMs * Math.max(1, missed + 1);
      reply.tickDueAt = dueAt;
      this.schedule(reply, Math.max(0, dueAt - now));
    })(this);

  /** Sends what is due; returns whether to keep ticking. */
  #tick(reply: Reply): boolean {
    const playback = reply.playback!;
    if (reply.done || playback.paused) return false;
    const now = this.#runtime.scheduler.now();
    const chunk = playback.take(now, this.#leadMs);
    if (chunk !== undefined) {
      this.#runtime.emit({
        type: 'agent-audio',
        responseId: reply.id,
        segment: playback.segment,
        samples: chunk.samples,
        sampleRate: this.#runtime.outputSampleRate,
        offsetMs: chunk.offsetMs,
        durationMs: chunk.durationMs,
        ...(chunk.alignment === undefined ? {} : { alignment: chunk.alignment }),
        at: now,
      });
    }
    if (playback.finished(now)) {
      this.#playedOut(reply);
      return false;
    }
    return true;
  }
}
