import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { TRACE_ATTRIBUTES } from '../tracing/trace-attributes';
import { CORRELATION_ID_HEADER } from '../tracing/turn-trace';
import { createConversationAgent } from './conversation-agent';
import { feed, scriptedLlm, scriptedStt, toneTts, userAudio } from './fake-voice-models.test-support';
import type { UserSpeechEvent, VoiceAgentEvent } from './voice-agent-events';
import { VoiceAgentSession } from './voice-agent-session';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

/** Feeds frames at real pace: each frame arrives when it ends. */

function setup(
  reply: string,
  llmTiming: { firstTokenMs: number; endMs: number },
  options: Partial<VoiceAgentSessionOptions> = {},
) {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    'voice-agent-test',
  );
  const clock = createVirtualClock();
  const stt = scriptedStt(['what is the weather', 'stop please'], 50);
  const llm = scriptedLlm(reply, llmTiming);
  const ttsHeaders: Record<string, string>[] = [];
  const session = new VoiceAgentSession({
    conversationId: 'conv-trace',
    agents: createConversationAgent({ llm, name: 'weather' }),
    stt,
    tts: toneTts({ msPerWord: 200, firstByteMs: 30, headers: ttsHeaders }),
    scheduler: clock.scheduler,
    tracer,
    ...options,
  });
  const events: VoiceAgentEvent[] = [];
  session.events.subscribe((event) => events.push(event));
  const headers = { stt: stt.headers, llm: llm.headers, tts: ttsHeaders };
  return { exporter, clock, session, events, headers };
}

const of_ = <T extends VoiceAgentEvent['type']>(events: VoiceAgentEvent[], type: T) =>
  events.filter((event): event is Extract<VoiceAgentEvent, { type: T }> => event.type === type);
const speech = (events: VoiceAgentEvent[], type: UserSpeechEvent['type']): UserSpeechEvent[] =>
  events.filter((event): event is UserSpeechEvent => event.type === type);

/** Span times on a virtual clock are virtual ms since 0. */
const ms = (time: [number, number]): number => time[0] * 1000 + time[1] / 1e6;
const named = (spans: ReadableSpan[], name: string): ReadableSpan[] =>
  spans.filter((span) => span.name === name);
const only = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = named(spans, name);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] =>
  spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('VoiceAgentSession tracing', () => {
  it('traces one spoken turn: a turn span with vad-end, stt, llm, tts and playout children on the virtual clock', async () => {
    const { exporter, clock, session, events, headers } = setup(
      'It is sunny today.',
      { firstTokenMs: 120, endMs: 40 },
      { correlationId: 'corr-42' },
    );
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 400, false),
      ...userAudio(400, 600, true),
      ...userAudio(1000, 3000, false),
    ]);
    expect(of_(events, 'agent-response-end')).toHaveLength(1);
    const spans = exporter.getFinishedSpans();

    const turn = only(spans, 'argentum.turn');
    const speechStart = speech(events, 'user-speech-start')[0]!;
    const speechEnd = speech(events, 'user-speech-end')[0]!;
    const transcript = of_(events, 'user-transcript')[0]!;
    const audio = of_(events, 'agent-audio');
    const responseEnd = of_(events, 'agent-response-end')[0]!;
    const metrics = of_(events, 'turn-metrics')[0]!.metrics;

    // The turn: from the user's speech onset to the last audio out.
    expect(turn.parentSpanContext).toBeUndefined();
    expect(ms(turn.startTime)).toBeCloseTo(speechStart.speechAt, 6);
    expect(ms(turn.endTime)).toBeCloseTo(responseEnd.at, 6);
    expect(turn.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.correlationId]: 'corr-42',
      [TRACE_ATTRIBUTES.turn]: 1,
      [TRACE_ATTRIBUTES.durationMs]: responseEnd.at - speechStart.speechAt,
      'argentum.conversation_id': 'conv-trace',
      'argentum.response_id': 'response-1',
      'argentum.agent': 'weather',
      'argentum.interrupted': false,
      'argentum.played_ms': responseEnd.playedMs,
    });

    // Its five stages, in pipeline order, each a child of the turn carrying the correlation id and turn number.
    const stages = childrenOf(spans, turn);
    expect(stages.map((span) => span.name).sort()).toEqual(
      ['argentum.llm', 'argentum.playout', 'argentum.stt', 'argentum.tts', 'argentum.vad-end'].sort(),
    );
    for (const stage of stages) {
      expect(stage.spanContext().traceId).toBe(turn.spanContext().traceId);
      expect(stage.attributes[TRACE_ATTRIBUTES.correlationId]).toBe('corr-42');
      expect(stage.attributes[TRACE_ATTRIBUTES.turn]).toBe(1);
      expect(stage.attributes[TRACE_ATTRIBUTES.cancelled]).toBeUndefined();
      expect(ms(stage.startTime)).toBeGreaterThanOrEqual(ms(turn.startTime) - 1e-6);
      expect(ms(stage.endTime)).toBeLessThanOrEqual(ms(turn.endTime) + 1e-6);
    }

    // vad-end: the last speech frame → the VAD's decision (400 ms of silence, to the frame).
    const vadEnd = only(spans, 'argentum.vad-end');
    expect(ms(vadEnd.startTime)).toBeCloseTo(speechEnd.speechAt, 6);
    expect(ms(vadEnd.endTime)).toBeCloseTo(speechEnd.at, 6);
    expect(speechEnd.at - speechEnd.speechAt).toBeGreaterThanOrEqual(400);
    expect(speechEnd.at - speechEnd.speechAt).toBeLessThanOrEqual(440);

    // stt: from the call at the speech onset to the final transcript, 50 ms after the audio ended.
    const stt = only(spans, 'argentum.stt');
    expect(ms(stt.startTime)).toBeCloseTo(speechStart.at, 6);
    expect(ms(stt.endTime)).toBeCloseTo(transcript.at, 6);
    expect(stt.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.provider]: 'fake',
      'argentum.model': 'scripted-stt',
      [TRACE_ATTRIBUTES.firstEventMs]: transcript.at - speechStart.at,
      'argentum.stt.final_latency_ms': 50,
    });

    // llm: asked at the commit (the context update lands within the frame); its first token 120 ms
    // after the call is the turn metric; it ends 40 ms after that.
    const llm = only(spans, 'argentum.llm');
    expect(ms(llm.startTime)).toBeCloseTo(transcript.at, 6);
    const timeToFirstTokenMs = llm.attributes[TRACE_ATTRIBUTES.firstEventMs] as number;
    expect(timeToFirstTokenMs).toBe(metrics.llmTimeToFirstTokenMs);
    expect(timeToFirstTokenMs).toBeGreaterThanOrEqual(120);
    expect(timeToFirstTokenMs).toBeLessThanOrEqual(140);
    expect(ms(llm.endTime) - ms(llm.startTime)).toBeCloseTo(timeToFirstTokenMs + 40, 6);

    // tts: opened with the reply; this TTS waits for the whole text, then 30 ms to first byte, so its
    // first event is the LLM's time to first token + the turn metric's TTS time to first byte (40 + 30).
    const tts = only(spans, 'argentum.tts');
    expect(ms(tts.startTime)).toBeCloseTo(transcript.at, 6);
    expect(metrics.ttsTimeToFirstByteMs).toBe(70);
    expect(tts.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.provider]: 'fake',
      'argentum.model': 'tone-tts',
      [TRACE_ATTRIBUTES.firstEventMs]: timeToFirstTokenMs + 70,
    });

    // playout: the first audio out → the last; four words of 200 ms.
    const playout = only(spans, 'argentum.playout');
    expect(ms(playout.startTime)).toBeCloseTo(audio[0]!.at, 6);
    expect(ms(playout.endTime)).toBeCloseTo(responseEnd.at, 6);
    expect(ms(playout.startTime)).toBeCloseTo(transcript.at + timeToFirstTokenMs + 70, 6);
    expect(responseEnd.playedMs).toBeCloseTo(800, 6);
    expect(playout.attributes[TRACE_ATTRIBUTES.durationMs]).toBeGreaterThanOrEqual(800 - 200);

    // The correlation id reached every provider call.
    expect(headers.stt.map((sent) => sent[CORRELATION_ID_HEADER])).toEqual(['corr-42']);
    expect(headers.llm.map((sent) => sent[CORRELATION_ID_HEADER])).toEqual(['corr-42']);
    expect(headers.tts.map((sent) => sent[CORRELATION_ID_HEADER])).toEqual(['corr-42']);
    session.close();
  });

  it('marks a barged-in turn: playout cancelled with a pause event, the turn interrupted at playout', async () => {
    const long = 'one two three four five six seven eight nine ten';
    const { exporter, clock, session, events, headers } = setup(long, { firstTokenMs: 100, endMs: 0 });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 1000, false),
    ]);
    expect(of_(events, 'agent-audio').length).toBeGreaterThan(0);
    // The user talks over the reply, then listens to the whole answer to the barge-in.
    await feed(clock, session, [...userAudio(1700, 900, true), ...userAudio(2600, 4500, false)]);
    expect(of_(events, 'agent-response-end')).toHaveLength(1);
    const paused = of_(events, 'agent-paused')[0]!;
    const interrupted = of_(events, 'agent-interrupted')[0]!;
    const spans = exporter.getFinishedSpans();

    const turns = named(spans, 'argentum.turn');
    const first = turns.find((span) => span.attributes[TRACE_ATTRIBUTES.turn] === 1)!;
    expect(first.attributes).toMatchObject({
      // Without a correlationId option, the conversation id is the correlation id.
      [TRACE_ATTRIBUTES.correlationId]: 'conv-trace',
      'argentum.interrupted': true,
      'argentum.cut_stage': 'playout',
      'argentum.played_ms': interrupted.playedMs,
    });
    expect(ms(first.endTime)).toBeCloseTo(interrupted.at, 6);
    const stages = childrenOf(spans, first);
    const playout = stages.find((span) => span.name === 'argentum.playout')!;
    expect(playout.attributes[TRACE_ATTRIBUTES.cancelled]).toBe(true);
    expect(ms(playout.endTime)).toBeCloseTo(interrupted.at, 6);
    expect(playout.events.map((event) => [event.name, ms(event.time)])).toEqual([['paused', paused.at]]);
    expect(playout.events[0]!.attributes).toEqual({ 'argentum.position_ms': paused.positionMs });
    // The stages before it had finished: the TTS had sent everything before the user spoke.
    for (const name of ['argentum.stt', 'argentum.llm', 'argentum.tts']) {
      const stage = stages.find((span) => span.name === name)!;
      expect(stage.attributes[TRACE_ATTRIBUTES.cancelled]).toBeUndefined();
    }

    // The barge-in's own words became turn 2, traced on its own.
    const second = turns.find((span) => span.attributes[TRACE_ATTRIBUTES.turn] === 2)!;
    expect(second.attributes['argentum.interrupted']).toBe(false);
    expect(second.spanContext().traceId).not.toBe(first.spanContext().traceId);
    expect(childrenOf(spans, second).map((span) => span.name)).toContain('argentum.stt');
    expect(headers.stt.map((sent) => sent[CORRELATION_ID_HEADER])).toEqual(['conv-trace', 'conv-trace']);
    session.close();
  });

  it('marks the llm stage cut when the user takes the turn back before the first token', async () => {
    const { exporter, clock, session, events } = setup('A slow answer.', { firstTokenMs: 3000, endMs: 0 });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 600, false),
    ]);
    const asked = of_(events, 'user-transcript')[0]!.at;
    await feed(clock, session, [...userAudio(1300, 900, true), ...userAudio(2200, 1000, false)]);
    expect(of_(events, 'agent-audio')).toEqual([]);
    const spans = exporter.getFinishedSpans();
    const first = named(spans, 'argentum.turn').find((span) => span.attributes[TRACE_ATTRIBUTES.turn] === 1)!;
    expect(first.attributes).toMatchObject({ 'argentum.interrupted': true, 'argentum.cut_stage': 'llm' });
    const stages = childrenOf(spans, first);
    const llm = stages.find((span) => span.name === 'argentum.llm')!;
    const tts = stages.find((span) => span.name === 'argentum.tts')!;
    expect(llm.attributes).toMatchObject({ [TRACE_ATTRIBUTES.cancelled]: true });
    expect(llm.attributes[TRACE_ATTRIBUTES.firstEventMs]).toBeUndefined();
    expect(ms(llm.startTime)).toBeCloseTo(asked, 6);
    expect(tts.attributes[TRACE_ATTRIBUTES.cancelled]).toBe(true);
    expect(stages.map((span) => span.name)).not.toContain('argentum.playout');
    session.close();
  });
});
