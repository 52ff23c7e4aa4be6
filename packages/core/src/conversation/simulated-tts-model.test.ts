import { type Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { TtsEvent } from '../provider/tts-model';
import { SimulatedTtsModel } from './simulated-tts-model';

function collect(tts: SimulatedTtsModel, text: string | Observable<string>, voice?: string) {
  const clock = createVirtualClock();
  const events: TtsEvent[] = [];
  const subscription = tts
    .synthesize({ text, voice }, { scheduler: clock.scheduler })
    .subscribe((event) => events.push(event));
  return { clock, events, subscription };
}

describe('SimulatedTtsModel', () => {
  it('emits exact word and sentence marks, 20 ms audio chunks and end after the first-chunk latency', () => {
    const tts = new SimulatedTtsModel({ firstChunkLatencyMs: 120 });
    const { clock, events } = collect(tts, 'Hello there. How are you?');
    clock.advanceBy(119);
    expect(events).toHaveLength(0);
    clock.advanceBy(1);
    const marks = events.filter((event) => event.type === 'mark');
    expect(marks.map((mark) => `${mark.kind}:${mark.text}`)).toEqual([
      'sentence:Hello there.',
      'word:Hello',
      'word:there.',
      'sentence:How are you?',
      'word:How',
      'word:are',
      'word:you?',
    ]);
    expect(marks.every((mark) => mark.aligned && mark.at === 120)).toBe(true);
    const audio = events.filter((event) => event.type === 'audio');
    const samples = audio.reduce((sum, event) => sum + event.frame.samples.length, 0);
    const end = events.at(-1)!;
    expect(end.type).toBe('end');
    expect(end.type === 'end' && end.durationMs).toBeCloseTo((samples * 1000) / 16000, 6);
    expect(audio.slice(0, -1).every((event) => event.frame.samples.length === 320)).toBe(true);
    // Sound where the words are, silence in the breaks.
    const all = new Int16Array(samples);
    let offset = 0;
    for (const event of audio) {
      all.set(event.frame.samples, offset);
      offset += event.frame.samples.length;
    }
    const word = marks[2]!;
    const inWord = all.subarray(
      Math.round((word.offsetMs + 50) * 16),
      Math.round((word.offsetMs + 100) * 16),
    );
    expect(Math.max(...inWord)).toBeGreaterThan(1000);
    const breakStart = Math.round((word.offsetMs + word.durationMs + 20) * 16);
    expect(Math.max(...all.subarray(breakStart, breakStart + 160).map(Math.abs))).toBe(0);
  });

  it('draws seeded latencies: the same seed, the same latencies', () => {
    const latencies = (seed: number) =>
      Array.from({ length: 5 }, () => {
        const { clock, events } = collect(new SimulatedTtsModel({ seed }), 'Yes.');
        clock.flush();
        return events[0]!.at;
      });
    const tts = new SimulatedTtsModel({ seed: 4 });
    const sequence = Array.from({ length: 5 }, () => {
      const { clock, events } = collect(tts, 'Yes.');
      clock.flush();
      return events[0]!.at;
    });
    const again = new SimulatedTtsModel({ seed: 4 });
    expect(
      Array.from({ length: 5 }, () => {
        const { clock, events } = collect(again, 'Yes.');
        clock.flush();
        return events[0]!.at;
      }),
    ).toEqual(sequence);
    expect(new Set(sequence).size).toBeGreaterThan(1);
    expect(latencies(1)).toEqual(latencies(1));
  });

  it('joins streamed text, gives each voice its own tone, and cancels on unsubscribe', () => {
    const tts = new SimulatedTtsModel({ firstChunkLatencyMs: 50 });
    const streamed = collect(tts, of('Hello ', 'there.'));
    streamed.clock.flush();
    expect(streamed.events.filter((event) => event.type === 'mark' && event.kind === 'word')).toHaveLength(2);
    expect(tts.voiceProfile('ada').toneHz).not.toBe(tts.voiceProfile('bruno').toneHz);
    expect(tts.voiceProfile('ada')).toEqual(new SimulatedTtsModel().voiceProfile('ada'));
    const cancelled = collect(tts, 'Never heard.');
    cancelled.subscription.unsubscribe();
    cancelled.clock.flush();
    expect(cancelled.events).toHaveLength(0);
  });

  it('rejects bad options', () => {
    expect(() => new SimulatedTtsModel({ sampleRate: 12345 })).toThrow();
    expect(() => new SimulatedTtsModel({ firstChunkLatencyMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new SimulatedTtsModel({ voices: { ada: { wordsPerSecond: 0 } } })).toThrow(/voices\.ada/);
  });
});
