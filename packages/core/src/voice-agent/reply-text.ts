import { context } from '@opentelemetry/api';
import { Observable, type Observer, type SchedulerLike, type Subscriber, type Unsubscribable } from 'rxjs';
import type { CallOptions } from '../provider/specification';
import type { StageSpan } from '../tracing/stage-span';
import { type Reply, StageFailure, type StartReplyInit } from './agent-reply';
import type { DialogueContext } from './dialogue-context';
import type { PendingToolCalls } from './pending-tool-calls';
import type { ReplyPlayout } from './reply-playout';
import type { SessionContext } from './session-context';
import type { AgentOutput } from './voice-agent';
import type { VoiceAgentRegistry } from './voice-agent-registry';
import type { RouteDecision, VoiceAgentRouter } from './voice-agent-router';

/** What a reply's text is made with. @internal */
export interface ReplyTextInit {
  context: SessionContext;
  registry: VoiceAgentRegistry;
  router: VoiceAgentRouter | undefined;
  tools: PendingToolCalls;
  playout: ReplyPlayout;
  /** The session's clock (for the reply's first-token time). */
  scheduler: SchedulerLike;
}

/**
 * The text of one reply, as the TTS reads it (or the session waits for it): the context update,
 * routing and the agent's output, with tool calls handed to the session's pending calls and text
 * deltas appended to the reply. The stream is shared: the first subscriber starts the production
 * (context → route → agent, in an `llm` stage span of the turn that covers all three), later ones
 * join it, and when the last one leaves the production is cancelled (a subscriber after that, or
 * after the end, starts it again) — as `share()` over the operator chain it replaces.
 *
 * Errors are {@link StageFailure}s tagged `context`, `route` or `agent` (the stage that failed); a
 * fixed text (a first message) is sent as it is, without a stage.
 *
 * One object per reply does what an operator chain did with a dozen subscribers and their
 * closures: a reply lives seconds, so each of its objects outlives the young generation and is
 * copied and promoted by the collector — the cost that bounds how many sessions a core carries.
 * @internal
 */
export class ReplyText {
  /** The reply's text deltas. */
  readonly text: Observable<string>;
  readonly #init: ReplyTextInit;
  readonly #reply: Reply;
  readonly #start: StartReplyInit;
  readonly #callOptions: CallOptions;
  #subscribers: Subscriber<string>[] = [];
  /** Counts productions; a callback of an earlier one (a context update settling late) is ignored. */
  #production = 0;
  #stage: StageSpan | undefined;
  #route: Unsubscribable | undefined;
  #routeDone = false;
  #agent: Unsubscribable | undefined;
  /** Counts agent runs (a new routing decision or a stop ends the current one): a late event of an earlier run is ignored. */
  #agentRun = 0;
  #agentRunning = false;

  constructor(init: ReplyTextInit, reply: Reply, start: StartReplyInit, callOptions: CallOptions) {
    this.#init = init;
    this.#reply = reply;
    this.#start = start;
    this.#callOptions = callOptions;
    this.text = new Observable<string>((subscriber) => this.#join(subscriber));
  }

  /** An output of agent run `run`. @internal */
  agentOutput(run: number, output: AgentOutput): void {
    if (run !== this.#agentRun || !this.#agentRunning) return;
    this.#stage?.firstEvent();
    try {
      this.#deliver(output);
    } catch (error) {
      this.#fail(StageFailure.of('agent', error));
    }
  }

  /** Agent run `run` failed or finished. @internal */
  agentEnded(run: number, error: unknown, failed: boolean): void {
    if (run !== this.#agentRun || !this.#agentRunning) return;
    this.#agentRunning = false;
    this.#agent = undefined;
    if (failed) this.#fail(StageFailure.of('agent', error));
    else if (this.#routeDone) this.#finish();
  }

  #join(subscriber: Subscriber<string>): () => void {
    this.#subscribers.push(subscriber);
    if (this.#subscribers.length === 1) this.#produce();
    return () => this.#leave(subscriber);
  }

  /** Leaving replaces the array: a delta going through it while a subscriber leaves is not disturbed. */
  #leave(subscriber: Subscriber<string>): void {
    const remaining = this.#subscribers.filter((each) => each !== subscriber);
    if (remaining.length === this.#subscribers.length) return;
    this.#subscribers = remaining;
    if (remaining.length === 0) this.#stop(true);
  }

  #produce(): void {
    const production = ++this.#production;
    this.#routeDone = false;
    const fixedText = this.#start.fixedText;
    if (fixedText !== undefined) {
      this.#routeDone = true;
      this.#deliver(fixedText);
      if (production === this.#production) this.#finish();
      return;
    }
    const turn = this.#reply.trace.turn;
    // The stage span (or, while the turn does not record, the turn) is the active context while
    // the context update starts: its continuation — routing, the agent — runs in it too.
    if (turn.span.isRecording()) this.#stage = turn.startStage('llm');
    context.with(this.#stage?.context ?? turn.context, this.#updateContext, this, production);
  }

  #updateContext(production: number): void {
    const userTurn = this.#start.userTurn;
    let update: Promise<DialogueContext>;
    try {
      const context = this.#init.context;
      // The user's turn is appended (no copy of the history); the agent then gets a copy to read.
      update =
        userTurn === undefined
          ? context.update((dialogue) => dialogue)
          : context.appendTurn(userTurn).then(() => context.read());
    } catch (error) {
      this.#fail(StageFailure.of('context', error));
      return;
    }
    update.then(
      (dialogue) => {
        if (production !== this.#production) return;
        try {
          this.#routeTo(dialogue);
        } catch (error) {
          // Nothing may escape into the promise (an unhandled rejection): the reply fails instead.
          this.#fail(StageFailure.of('agent', error));
        }
      },
      (error: unknown) => {
        if (production === this.#production) this.#fail(StageFailure.of('context', error));
      },
    );
  }

  #routeTo(dialogue: DialogueContext): void {
    const { router, registry } = this.#init;
    if (router === undefined) {
      this.#routeDone = true;
      this.#runAgent(dialogue, { agent: registry.defaultAgent.name, reason: 'default agent' });
      return;
    }
    let route: Observable<RouteDecision>;
    try {
      route = router.route(this.#start.transcript, dialogue, registry, this.#callOptions);
    } catch (error) {
      this.#fail(StageFailure.of('route', error));
      return;
    }
    const production = this.#production;
    const subscription = route.subscribe(new RouteObserver(this, dialogue, production));
    // Stopped while subscribing (an answer it gave synchronously ended the reply): cancel it.
    if (production !== this.#production) subscription.unsubscribe();
    else if (!this.#routeDone) this.#route = subscription;
  }

  /** A routing decision: (re)starts the agent it names, as `switchMap` did. @internal */
  routed(production: number, dialogue: DialogueContext, decision: RouteDecision): void {
    if (production === this.#production) this.#runAgent(dialogue, decision);
  }

  /** The router failed or finished. @internal */
  routeEnded(production: number, error: unknown, failed: boolean): void {
    if (production !== this.#production) return;
    this.#route = undefined;
    if (failed) {
      this.#fail(StageFailure.of('route', error));
      return;
    }
    this.#routeDone = true;
    if (!this.#agentRunning) this.#finish();
  }

  #runAgent(dialogue: DialogueContext, decision: RouteDecision): void {
    this.#agent?.unsubscribe();
    this.#agent = undefined;
    this.#agentRunning = false;
    const production = this.#production;
    const run = ++this.#agentRun;
    let output: Observable<AgentOutput>;
    try {
      const agent = this.#init.registry.get(decision.agent);
      this.#reply.agent = agent.name;
      output = agent.handle(dialogue, this.#start.transcript, this.#callOptions);
    } catch (error) {
      this.#fail(StageFailure.of('agent', error));
      return;
    }
    this.#agentRunning = true;
    const subscription = output.subscribe(new AgentObserver(this, run));
    // Stopped or replaced while subscribing (a consumer left at its first delta): cancel it. An
    // agent that finished while subscribing leaves nothing to cancel.
    if (production !== this.#production || run !== this.#agentRun) subscription.unsubscribe();
    else if (this.#agentRunning) this.#agent = subscription;
  }

  #deliver(output: AgentOutput): void {
    if (typeof output !== 'string') {
      this.#init.tools.add(this.#reply, output);
      return;
    }
    const reply = this.#reply;
    reply.firstDeltaAt ??= this.#init.scheduler.now();
    reply.text += output;
    for (const subscriber of this.#subscribers) subscriber.next(output);
  }

  #finish(): void {
    const stage = this.#stage;
    const subscribers = this.#stop(false);
    stage?.end();
    const reply = this.#reply;
    reply.textDone = true;
    this.#init.playout.sendResponseText(reply);
    for (const subscriber of subscribers) subscriber.complete();
  }

  #fail(error: unknown): void {
    const stage = this.#stage;
    const subscribers = this.#stop(false);
    stage?.fail(error);
    for (const subscriber of subscribers) subscriber.error(error);
  }

  /** Ends the production: cancels what runs and hands back the subscribers it had. */
  #stop(cancelled: boolean): Subscriber<string>[] {
    this.#production++;
    this.#agentRun++;
    const subscribers = this.#subscribers;
    this.#subscribers = [];
    this.#agentRunning = false;
    const route = this.#route;
    const agent = this.#agent;
    const stage = this.#stage;
    this.#route = undefined;
    this.#agent = undefined;
    this.#stage = undefined;
    route?.unsubscribe();
    agent?.unsubscribe();
    if (cancelled) stage?.cancel();
    return subscribers;
  }
}

/** Hands a router's decisions to its reply's text. */
class RouteObserver implements Observer<RouteDecision> {
  constructor(
    private readonly text: ReplyText,
    private readonly dialogue: DialogueContext,
    private readonly production: number,
  ) {}

  next(decision: RouteDecision): void {
    this.text.routed(this.production, this.dialogue, decision);
  }

  error(error: unknown): void {
    this.text.routeEnded(this.production, error, true);
  }

  complete(): void {
    this.text.routeEnded(this.production, undefined, false);
  }
}

/** Hands one agent run's outputs to its reply's text (ignored once that run is over). */
class AgentObserver implements Observer<AgentOutput> {
  constructor(
    private readonly text: ReplyText,
    private readonly run: number,
  ) {}

  next(output: AgentOutput): void {
    this.text.agentOutput(this.run, output);
  }

  error(error: unknown): void {
    this.text.agentEnded(this.run, error, true);
  }

  complete(): void {
    this.text.agentEnded(this.run, undefined, false);
  }
}
