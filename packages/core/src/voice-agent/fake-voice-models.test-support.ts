import { defer, from, isObservable, Observable, of, type SchedulerLike, toArray } from 'rxjs';
import { type AudioFrame, createAudioFrame, type SampleRate } from '../audio/audio-frame';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { createVirtualClock, type VirtualClock } from '../clock/virtual-clock';
import type { LlmEvent, LlmModel } from '../provider/llm-model';
import { SPECIFICATION_VERSION } from '../provider/specification';
import type { SttEvent, SttModel } from '../provider/stt-model';
import type { TextInput, TtsEvent, TtsModel } from '../provider/tts-model';
import { createEchoAgent } from './echo-agent';
import type { VoiceAgentEvent } from './voice-agent-events';
import { VoiceAgentSession } from './voice-agent-session';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

/** A scripted STT: the n-th utterance is transcribed as `script[n]` (or '' past the end), `latencyMs` after its audio ends. */
export function scriptedStt(
  script: readonly string[],
  latencyMs = 50,
): SttModel & { calls: number; rates: number[]; headers: Record<string, string>[] } {
  const model = {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'fake',
    modelId: 'scripted-stt',
    capabilities: { streaming: false, partials: false },
    calls: 0,
    rates: [] as number[],
    headers: [] as Record<string, string>[],
    transcribe(
      request: { audio: readonly AudioFrame[] | Observable<AudioFrame> },
      options?: { scheduler?: SchedulerLike; headers?: Record<string, string> },
    ) {
      const scheduler = options?.scheduler ?? realtimeScheduler;
      model.headers.push({ ...options?.headers });
      return new Observable<SttEvent>((subscriber) => {
        const text = script[model.calls++] ?? '';
        const audio = isObservable(request.audio) ? request.audio : from(request.audio);
        let timer: { unsubscribe(): void } | undefined;
        const subscription = audio.pipe(toArray()).subscribe((frames) => {
          for (const frame of frames) model.rates.push(frame.sampleRate);
          timer = scheduler.schedule(() => {
            subscriber.next({ type: 'transcript-final', text, at: scheduler.now() });
            subscriber.complete();
          }, latencyMs);
        });
        return () => {
          subscription.unsubscribe();
          timer?.unsubscribe();
        };
      });
    },
  };
  return model;
}

function collectText(text: TextInput): Observable<string> {
  if (typeof text === 'string') return of(text);
  if (isObservable(text))
    return text.pipe(
      toArray(),
      (source) =>
        new Observable<string>((s) =>
          source.subscribe({
            next: (parts) => s.next(parts.join('')),
            error: (e) => s.error(e),
            complete: () => s.complete(),
          }),
        ),
    );
  return from(
    (async () => {
      let all = '';
      for await (const part of text as AsyncIterable<string>) all += part;
      return all;
    })(),
  );
}

/** A TTS that speaks each word as `msPerWord` of tone in 20 ms frames, with word marks, after `firstByteMs`. */
export function toneTts(
  options: {
    sampleRate?: SampleRate;
    msPerWord?: number;
    firstByteMs?: number;
    /** Collects the headers of every call. */
    headers?: Record<string, string>[];
  } = {},
): TtsModel {
  const nativeRate = options.sampleRate ?? 16000;
  const msPerWord = options.msPerWord ?? 200;
  const firstByteMs = options.firstByteMs ?? 30;
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'fake',
    modelId: 'tone-tts',
    sampleRate: nativeRate,
    capabilities: {
      streamingInput: false,
      streamingOutput: true,
      alignedMarks: true,
      multiContextCancel: false,
    },
    synthesize(request, callOptions) {
      const scheduler = callOptions?.scheduler ?? realtimeScheduler;
      options.headers?.push({ ...callOptions?.headers });
      const rate = request.sampleRate ?? nativeRate;
      return defer(() => collectText(request.text)).pipe(
        (source) =>
          new Observable<TtsEvent>((subscriber) => {
            const timers: { unsubscribe(): void }[] = [];
            const inner = source.subscribe({
              next: (text) => {
                const words = text.split(/\s+/).filter((word) => word.length > 0);
                const events: TtsEvent[] = [];
                let offset = 0;
                for (const word of words) {
                  events.push({
                    type: 'mark',
                    kind: 'word',
                    text: word,
                    offsetMs: offset,
                    durationMs: msPerWord,
                    aligned: true,
                    at: 0,
                  });
                  for (let t = 0; t < msPerWord; t += 20) {
                    const samples = new Int16Array((rate * 20) / 1000);
                    for (let i = 0; i < samples.length; i++)
                      samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / rate));
                    events.push({
                      type: 'audio',
                      frame: createAudioFrame({
                        samples,
                        sampleRate: rate,
                        channels: 1,
                        timestamp: offset + t,
                      }),
                      at: 0,
                    });
                  }
                  offset += msPerWord;
                }
                events.push({ type: 'end', durationMs: offset, at: 0 });
                timers.push(
                  scheduler.schedule(() => {
                    for (const event of events) subscriber.next({ ...event, at: scheduler.now() });
                    subscriber.complete();
                  }, firstByteMs),
                );
              },
              error: (error) => subscriber.error(error),
            });
            return () => {
              inner.unsubscribe();
              for (const timer of timers) timer.unsubscribe();
            };
          }),
      );
    },
  };
}

/** `durationMs` of 20 ms frames from `startMs`: a loud 220 Hz tone when `speech`, else near-silence. */
export function userAudio(
  startMs: number,
  durationMs: number,
  speech: boolean,
  sampleRate: SampleRate = 16000,
): AudioFrame[] {
  const frames: AudioFrame[] = [];
  const perFrame = (sampleRate * 20) / 1000;
  for (let t = 0; t < durationMs; t += 20) {
    const samples = new Int16Array(perFrame);
    for (let i = 0; i < perFrame; i++) {
      const noise = ((i * 7919 + t * 104729) % 17) - 8;
      samples[i] = speech
        ? Math.round(8000 * Math.sin((2 * Math.PI * 220 * (i + (t * sampleRate) / 1000)) / sampleRate)) +
          noise
        : noise;
    }
    frames.push(createAudioFrame({ samples, sampleRate, channels: 1, timestamp: startMs + t }));
  }
  return frames;
}

/**
 * A scripted LLM: each call answers with `text` as one delta `firstTokenMs` after the call, then
 * ends `endMs` after that; it records every call's headers.
 */
export function scriptedLlm(
  text: string,
  timing: { firstTokenMs: number; endMs: number },
): LlmModel & { headers: Record<string, string>[] } {
  const headers: Record<string, string>[] = [];
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'fake',
    modelId: 'scripted-llm',
    capabilities: { streaming: true, tools: false },
    headers,
    stream(_request, callOptions) {
      const scheduler = callOptions?.scheduler ?? realtimeScheduler;
      headers.push({ ...callOptions?.headers });
      return new Observable<LlmEvent>((subscriber) => {
        let timer = scheduler.schedule(() => {
          subscriber.next({ type: 'text-delta', text, at: scheduler.now() });
          timer = scheduler.schedule(() => {
            subscriber.next({ type: 'end', finishReason: 'stop', at: scheduler.now() });
            subscriber.complete();
          }, timing.endMs);
        }, timing.firstTokenMs);
        return () => timer.unsubscribe();
      });
    },
  };
}

/** Lets pending promise callbacks (context updates, agent streams) run. */
export async function settle(): Promise<void> {
  for (let index = 0; index < 20; index++) await Promise.resolve();
}

/** Feeds frames at real pace: each frame arrives (the clock reaches its end) before it is pushed. */
export async function feed(
  clock: VirtualClock,
  session: VoiceAgentSession,
  frames: AudioFrame[],
): Promise<void> {
  for (const frame of frames) {
    clock.advanceTo(frame.timestamp + 20);
    session.pushAudio(frame);
    await settle();
  }
}

/**
 * A session on a virtual clock with the echo agent, a scripted STT (50 ms) and a tone TTS (200 ms a
 * word, first byte after 30 ms), recording its events.
 */
export function startTestSession(
  conversationId: string,
  script: string[],
  options: Partial<VoiceAgentSessionOptions> = {},
): { clock: VirtualClock; session: VoiceAgentSession; events: VoiceAgentEvent[] } {
  const clock = createVirtualClock();
  const session = new VoiceAgentSession({
    conversationId,
    agents: createEchoAgent(),
    stt: scriptedStt(script, 50),
    tts: toneTts({ msPerWord: 200, firstByteMs: 30 }),
    scheduler: clock.scheduler,
    ...options,
  });
  const events: VoiceAgentEvent[] = [];
  session.events.subscribe((event) => events.push(event));
  return { clock, session, events };
}
