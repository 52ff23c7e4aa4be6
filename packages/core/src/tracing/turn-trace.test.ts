import { context, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { map, NEVER, Observable, timer } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { createPooledLlmModel } from '../pool/pooled-llm-model';
import { ProviderPool } from '../pool/provider-pool';
import type { LlmEvent, LlmModel } from '../provider/llm-model';
import { type CallOptions, SPECIFICATION_VERSION } from '../provider/specification';
import { StackContextManager } from './stack-context-manager.test-support';
import { TRACE_ATTRIBUTES } from './trace-attributes';
import { CORRELATION_ID_HEADER, traceTurn } from './turn-trace';
import { withStageSpan } from './with-stage-span';

const contextManager = new StackContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager);
});
afterAll(() => {
  context.disable();
});

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const clock = createVirtualClock();
  return { exporter, tracer, clock };
}

const durationMs = (span: ReadableSpan): number => span.duration[0] * 1000 + span.duration[1] / 1e6;
const byName = (spans: ReadableSpan[], name: string): ReadableSpan[] =>
  spans.filter((span) => span.name === name);
const one = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = byName(spans, name);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('tracing one voice-agent turn', () => {
  it('has a turn span with stage children, pool attempts under the LLM stage, and correlation ids on every call', () => {
    const { exporter, tracer, clock } = setup();
    const { scheduler } = clock;
    const headersSeen: Record<string, string>[] = [];
    const llm = (id: string, latencyMs: number | undefined): LlmModel => ({
      specificationVersion: SPECIFICATION_VERSION,
      provider: id,
      modelId: id,
      capabilities: { streaming: true, tools: false },
      stream: (_request, options?: CallOptions) => {
        headersSeen.push({ ...options?.headers });
        if (latencyMs === undefined) return NEVER;
        return new Observable<LlmEvent>((subscriber) =>
          timer(latencyMs, scheduler).subscribe(() => {
            subscriber.next({ type: 'text-delta', text: 'Sure.', at: scheduler.now() });
            subscriber.next({ type: 'end', finishReason: 'stop', at: scheduler.now() });
            subscriber.complete();
          }),
        );
      },
    });
    const pool = new ProviderPool<LlmModel>({
      scheduler,
      tracer,
      firstEventTimeoutMs: 300,
      members: [
        { id: 'stalling', create: () => llm('stalling', undefined) },
        { id: 'fallback', create: () => llm('fallback', 90) },
      ],
    });
    const pooledLlm = createPooledLlmModel(pool);

    clock.advanceTo(600);
    const turn = traceTurn({
      correlationId: 'conversation-7',
      turn: 3,
      tracer,
      scheduler,
      attributes: { 'argentum.agent': 'support' },
    });
    clock.advanceTo(1400);
    turn.recordStage('vad-end', 1000, 1400);

    const sttCall = turn.callOptions();
    headersSeen.push({ ...sttCall.headers });
    let transcript = '';
    timer(150, scheduler)
      .pipe(
        map(() => 'What is the weather?'),
        withStageSpan(turn, 'stt', { [TRACE_ATTRIBUTES.provider]: 'fake-stt' }),
      )
      .subscribe((text) => {
        transcript = text;
      });
    clock.advanceBy(150);
    expect(transcript).toBe('What is the weather?');

    pooledLlm
      .stream({ messages: [{ role: 'user', content: transcript }] }, turn.callOptions())
      .pipe(withStageSpan(turn, 'llm'))
      .subscribe();
    clock.advanceBy(400);

    const ttsStarted = clock.now();
    timer(120, scheduler).pipe(withStageSpan(turn, 'tts')).subscribe();
    clock.advanceBy(120);
    const playout = turn.startStage('playout');
    clock.advanceBy(500);
    playout.end();
    turn.end({ 'argentum.interrupted': false });

    const spans = exporter.getFinishedSpans();
    const turnSpan = one(spans, 'argentum.turn');
    expect(turnSpan.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.correlationId]: 'conversation-7',
      [TRACE_ATTRIBUTES.turn]: 3,
      'argentum.agent': 'support',
      'argentum.interrupted': false,
      [TRACE_ATTRIBUTES.durationMs]: clock.now() - 600,
    });
    expect(turnSpan.parentSpanContext).toBeUndefined();
    const turnId = turnSpan.spanContext().spanId;
    const stages = ['vad-end', 'stt', 'llm', 'tts', 'playout'].map((stage) =>
      one(spans, `argentum.${stage}`),
    );
    for (const [index, span] of stages.entries()) {
      expect(span.parentSpanContext?.spanId).toBe(turnId);
      expect(span.spanContext().traceId).toBe(turnSpan.spanContext().traceId);
      expect(span.attributes[TRACE_ATTRIBUTES.stage]).toBe(
        ['vad-end', 'stt', 'llm', 'tts', 'playout'][index],
      );
      expect(span.attributes[TRACE_ATTRIBUTES.correlationId]).toBe('conversation-7');
      expect(span.attributes[TRACE_ATTRIBUTES.turn]).toBe(3);
    }
    const [vadEnd, stt, llmSpan, tts, playoutSpan] = stages as [
      ReadableSpan,
      ReadableSpan,
      ReadableSpan,
      ReadableSpan,
      ReadableSpan,
    ];
    expect(durationMs(vadEnd)).toBeCloseTo(400, 3);
    expect(stt.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.firstEventMs]: 150,
      [TRACE_ATTRIBUTES.provider]: 'fake-stt',
    });
    // LLM time to first token: 300 ms timeout on the stalling provider + 90 ms on the fallback.
    expect(llmSpan.attributes[TRACE_ATTRIBUTES.firstEventMs]).toBe(390);
    expect(llmSpan.attributes[TRACE_ATTRIBUTES.eventCount]).toBe(2);
    expect(tts.attributes[TRACE_ATTRIBUTES.firstEventMs]).toBe(120);
    expect(tts.startTime).toEqual(expect.any(Array));
    expect(durationMs(tts)).toBeCloseTo(clock.now() - ttsStarted - 500, 3);
    expect(durationMs(playoutSpan)).toBeCloseTo(500, 3);

    const attempts = byName(spans, 'argentum.pool.attempt');
    expect(
      attempts.map((span) => [
        span.attributes[TRACE_ATTRIBUTES.provider],
        span.attributes[TRACE_ATTRIBUTES.outcome],
      ]),
    ).toEqual([
      ['stalling', 'timeout'],
      ['fallback', 'served'],
    ]);
    for (const attempt of attempts)
      expect(attempt.parentSpanContext?.spanId).toBe(llmSpan.spanContext().spanId);
    expect(attempts[0]!.status.code).toBe(2);
    expect(attempts[1]!.attributes[TRACE_ATTRIBUTES.firstEventMs]).toBe(90);

    expect(headersSeen.map((headers) => headers[CORRELATION_ID_HEADER])).toEqual([
      'conversation-7',
      'conversation-7',
      'conversation-7',
    ]);
  });

  it('marks a stage cancelled on unsubscribe and failed on error', () => {
    const { exporter, tracer, clock } = setup();
    const turn = traceTurn({ correlationId: 'c', turn: 1, tracer, scheduler: clock.scheduler });
    const subscription = timer(1000, clock.scheduler).pipe(withStageSpan(turn, 'tts')).subscribe();
    clock.advanceBy(200);
    subscription.unsubscribe();
    new Observable((subscriber) => subscriber.error(new Error('stt down')))
      .pipe(withStageSpan(turn, 'stt'))
      .subscribe({ error: () => {} });
    turn.fail(new Error('turn failed'));
    turn.end();
    const spans = exporter.getFinishedSpans();
    expect(one(spans, 'argentum.tts').attributes).toMatchObject({
      [TRACE_ATTRIBUTES.cancelled]: true,
      [TRACE_ATTRIBUTES.durationMs]: 200,
    });
    const stt = one(spans, 'argentum.stt');
    expect(stt.status).toMatchObject({ code: 2, message: 'stt down' });
    expect(stt.events.map((event) => event.name)).toEqual(['exception']);
    expect(one(spans, 'argentum.turn').status.code).toBe(2);
  });

  it('is a no-op without an SDK and still carries the correlation id', () => {
    const turn = traceTurn({ correlationId: 'session-1', turn: 0 });
    expect(turn.span.isRecording()).toBe(false);
    expect(trace.getSpan(turn.context)).toBe(turn.span);
    expect(turn.callOptions({ headers: { authorization: 'x' } }).headers).toEqual({
      authorization: 'x',
      [CORRELATION_ID_HEADER]: 'session-1',
    });
    turn.startStage('llm').end();
    turn.end();
  });

  it('makes no stage spans for a turn that does not record, and keeps the turn the active context', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      sampler: new AlwaysOffSampler(),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    let started = 0;
    const counting = {
      startSpan: (...args: Parameters<typeof tracer.startSpan>) => {
        started++;
        return tracer.startSpan(...args);
      },
      startActiveSpan: tracer.startActiveSpan.bind(tracer),
    } as typeof tracer;
    const { scheduler } = createVirtualClock();
    const turn = traceTurn({ correlationId: 'session-2', turn: 1, tracer: counting, scheduler });
    expect(turn.span.isRecording()).toBe(false);
    expect(started).toBe(1);
    const stage = turn.startStage('llm', { 'argentum.provider': 'x' });
    expect(stage.span).toBe(turn.span);
    expect(stage.context).toBe(turn.context);
    stage.firstEvent();
    stage.end();
    turn.recordStage('vad-end', 0, 10);
    expect(() => turn.recordStage('vad-end', 10, 0)).toThrow(/endAt/);
    let active: unknown;
    const values: number[] = [];
    new Observable<number>((subscriber) => {
      active = trace.getSpan(context.active());
      subscriber.next(1);
      subscriber.complete();
    })
      .pipe(withStageSpan(turn, 'tts'))
      .subscribe((value) => values.push(value));
    expect(values).toEqual([1]);
    expect(active).toBe(turn.span);
    turn.end();
    expect(started).toBe(1);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
