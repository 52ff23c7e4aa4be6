import {
  createVirtualClock,
  EmotionEngine,
  InvalidArgumentError,
  realtimeScheduler,
  type TtsEvent,
  UnsupportedSampleRateError,
} from '@argentum/core';
import { collectInVirtualTime } from '@argentum/core/testing';
import {
  firstValueFrom,
  from,
  lastValueFrom,
  Observable,
  timer,
  toArray,
  type VirtualTimeScheduler,
} from 'rxjs';
import { describe, expect, test } from 'vitest';
import { getMespeakEngine, type SpeechEngine } from '../internal/mespeak-engine';
import { createMespeak } from '../mespeak-provider';
import { bandEnergyRatio, firstDifference, medianPitchHz, rmsDbfs } from '../test-support/audio-analysis';
import { synthesizeNow } from '../test-support/synthesize-now';
import { MespeakTtsModel } from './mespeak-tts-model';
import { MESPEAK_VOICES } from './mespeak-voices';

const provider = createMespeak();
const TEXT =
  'The committee met on Tuesday. Costs rose, but trust matters more than money! Shall we vote now?';

/** The words a listener hears: tokens with a letter or digit, without surrounding punctuation. */
function wordsOf(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((token) => /[\p{L}\p{N}]/u.test(token))
    .map((token) => token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
}

/** A model over the shared engine that counts engine calls. */
function countingModel(): { model: MespeakTtsModel; calls: () => number } {
  const engine = getMespeakEngine();
  let calls = 0;
  const counting: SpeechEngine = {
    synthesize: (text, parameters) => {
      calls++;
      return engine.synthesize(text, parameters);
    },
  };
  const model = new MespeakTtsModel({
    voices: MESPEAK_VOICES,
    voice: 'ada',
    prosody: undefined,
    maxSentenceChars: 200,
    maxSentencePauseMs: 250,
    engine: counting,
  });
  return { model, calls: () => calls };
}

function withoutAt(events: TtsEvent[]): unknown[] {
  return events.map(({ at: _at, ...rest }) => rest);
}

function errorOf(events: Observable<TtsEvent>): unknown {
  const notifications = collectInVirtualTime(() => events);
  const last = notifications[notifications.length - 1];
  return last?.kind === 'error' ? last.error : undefined;
}

describe('MespeakTtsModel', () => {
  test('identifies itself and its capabilities', () => {
    const model = provider.speech('ada');
    expect(model).toMatchObject({
      specificationVersion: 'v1',
      provider: 'mespeak',
      modelId: 'mespeak-2.0.2',
      sampleRate: 22050,
      voice: 'ada',
      capabilities: {
        streamingInput: true,
        streamingOutput: true,
        alignedMarks: false,
        multiContextCancel: false,
      },
    });
    expect(model.voices).toEqual(expect.arrayContaining(['ada', 'bruno', 'chen', 'dara']));
  });

  test('produces real speech: loud enough, in the speech band, of plausible length', () => {
    const result = synthesizeNow(provider.speech('ada'), { text: TEXT });
    expect(result.sampleRate).toBe(22050);
    expect(rmsDbfs(result.samples)).toBeGreaterThan(-30);
    expect(bandEnergyRatio(result.samples, 22050, 300, 3400)).toBeGreaterThan(0.6);
    const msPerCharacter = result.end.durationMs / TEXT.length;
    expect(msPerCharacter).toBeGreaterThan(40);
    expect(msPerCharacter).toBeLessThan(100);
    for (const { frame } of result.frames) {
      expect(frame.samples.length).toBe(441);
      expect(frame.channels).toBe(1);
    }
    expect(result.frames.map(({ frame }) => frame.timestamp)).toEqual(
      result.frames.map((_, index) => index * 20),
    );
    expect(result.end.durationMs).toBe(result.frames.length * 20);
  });

  test('the built-in voices are clearly different: pitches ≥ 2 semitones apart, levels matched', () => {
    // Measured on this sentence: bruno ≈ 73, chen ≈ 90, emil ≈ 127, fay ≈ 154, ada ≈ 184,
    // dara ≈ 225 Hz — neighbours about 3 semitones apart; the test allows 2.
    const measured = Object.keys(MESPEAK_VOICES).map((voice) => {
      const result = synthesizeNow(provider.speech(voice), { text: 'We should look at the evidence first.' });
      return { voice, pitchHz: medianPitchHz(result.samples, 22050), levelDbfs: rmsDbfs(result.samples) };
    });
    expect(measured).toHaveLength(6);
    for (const a of measured) {
      expect(a.pitchHz).toBeGreaterThan(60);
      expect(a.levelDbfs).toBeGreaterThan(-24);
      expect(a.levelDbfs).toBeLessThan(-18);
      for (const b of measured) {
        if (a.voice >= b.voice) continue;
        const semitones = Math.abs(12 * Math.log2(a.pitchHz / b.pitchHz));
        expect(semitones, `${a.voice} vs ${b.voice}`).toBeGreaterThan(2);
      }
    }
  });

  test('marks every word exactly once, in order, monotone and inside the audio', () => {
    const result = synthesizeNow(provider.speech('chen'), { text: TEXT });
    expect(result.words.map((mark) => mark.text)).toEqual(wordsOf(TEXT));
    expect(result.sentences.map((mark) => mark.text)).toEqual([
      'The committee met on Tuesday.',
      'Costs rose, but trust matters more than money!',
      'Shall we vote now?',
    ]);
    let previous = 0;
    for (const mark of result.marks) {
      expect(mark.aligned).toBe(false);
      expect(mark.offsetMs).toBeGreaterThanOrEqual(previous);
      expect(mark.durationMs).toBeGreaterThan(0);
      expect(mark.offsetMs + mark.durationMs).toBeLessThanOrEqual(result.end.durationMs);
      previous = mark.offsetMs;
    }
    // Each word lies inside its sentence.
    for (const word of result.words) {
      const sentence = result.sentences.filter((mark) => mark.offsetMs <= word.offsetMs).at(-1)!;
      expect(word.offsetMs + word.durationMs).toBeLessThanOrEqual(
        sentence.offsetMs + sentence.durationMs + 0.02,
      );
    }
  });

  test('word marks follow the audio: phrase breaks fall in silence, words start on sound', () => {
    const result = synthesizeNow(provider.speech('bruno'), { text: 'Alpha, bravo, charlie, delta.' });
    const level = (fromMs: number, toMs: number) =>
      rmsDbfs(result.samples.subarray(Math.round(fromMs * 22.05), Math.round(toMs * 22.05)));
    for (const word of result.words.slice(1)) {
      expect(level(word.offsetMs - 40, word.offsetMs - 5)).toBeLessThan(-50);
      expect(level(word.offsetMs, word.offsetMs + 40)).toBeGreaterThan(-40);
    }
  });

  test('emits each sentence’s marks before its audio', () => {
    const result = synthesizeNow(provider.speech('dara'), { text: TEXT });
    result.events.forEach((event, index) => {
      if (event.type !== 'audio') return;
      const frameEnd = event.frame.timestamp + 20;
      const earlier = result.events.slice(0, index);
      for (const sentence of result.sentences) {
        if (sentence.offsetMs < frameEnd) expect(earlier).toContain(sentence);
      }
    });
  });

  test('streamed deltas give the same audio and marks as the whole string', () => {
    const model = provider.speech('emil');
    const whole = synthesizeNow(model, { text: TEXT });
    const deltas = TEXT.match(/.{1,7}/gs)!;
    const streamed = synthesizeNow(model, { text: from(deltas) });
    expect(firstDifference(streamed.samples, whole.samples)).toBe(-1);
    expect(withoutAt(streamed.marks)).toEqual(withoutAt(whole.marks));
    expect(streamed.end.durationMs).toBe(whole.end.durationMs);
    const fromArray = synthesizeNow(model, { text: deltas });
    expect(firstDifference(fromArray.samples, whole.samples)).toBe(-1);
  });

  test('accepts async iterables of deltas', async () => {
    async function* deltas() {
      for (const piece of ['Hello ', 'from an ', 'async', ' source.']) yield piece;
    }
    const events = await lastValueFrom(provider.speech('fay').synthesize({ text: deltas() }).pipe(toArray()));
    const words = events.filter((event) => event.type === 'mark' && event.kind === 'word');
    expect(words.map((event) => (event.type === 'mark' ? event.text : ''))).toEqual([
      'Hello',
      'from',
      'an',
      'async',
      'source',
    ]);
    expect(events.at(-1)?.type).toBe('end');
  });

  test('is deterministic: the same text and voice give byte-identical audio, even across engine restarts', () => {
    const model = provider.speech('chen');
    const first = synthesizeNow(model, { text: 'Deterministic speech, please.' });
    for (let i = 0; i < 45; i++) synthesizeNow(provider.speech('dara'), { text: `Filler ${i}.` });
    const second = synthesizeNow(model, { text: 'Deterministic speech, please.' });
    expect(firstDifference(second.samples, first.samples)).toBe(-1);
    expect(withoutAt(second.marks)).toEqual(withoutAt(first.marks));
  });

  test('stamps every event with the scheduler’s time and does nothing before the scheduler runs', () => {
    const clock = createVirtualClock();
    clock.advanceTo(1234);
    const events: TtsEvent[] = [];
    provider
      .speech('ada')
      .synthesize({ text: 'Stamped. Twice.' }, { scheduler: clock.scheduler })
      .subscribe((event) => {
        events.push(event);
      });
    expect(events).toEqual([]);
    clock.flush();
    expect(events.at(-1)?.type).toBe('end');
    expect(events.every((event) => event.at === 1234)).toBe(true);
  });

  test('unsubscribing mid-utterance cancels the remaining sentences and leaves nothing scheduled', () => {
    const { model, calls } = countingModel();
    const clock = createVirtualClock();
    const events: TtsEvent[] = [];
    const subscription = model
      .synthesize(
        { text: 'One sentence. Two sentences. Three sentences. Four.' },
        { scheduler: clock.scheduler },
      )
      .subscribe((event) => {
        events.push(event);
        if (event.type === 'audio') subscription.unsubscribe();
      });
    clock.flush();
    expect(calls()).toBe(1);
    expect(events.filter((event) => event.type === 'audio')).toHaveLength(1);
    expect(events.some((event) => event.type === 'end')).toBe(false);
    expect((clock.scheduler as VirtualTimeScheduler).actions).toHaveLength(0);
  });

  test('unsubscribing in real time stops the engine work', async () => {
    const { model, calls } = countingModel();
    const first = await firstValueFrom(
      model.synthesize({ text: 'First part. Second part. Third part. Fourth.' }),
    );
    expect(first.type).toBe('mark');
    const callsAtCancel = calls();
    expect(callsAtCancel).toBe(1);
    await firstValueFrom(timer(250, realtimeScheduler));
    expect(calls()).toBe(callsAtCancel);
  });

  test('empty text, whitespace or markup only gives just an end of zero duration', () => {
    for (const text of ['', '   \n ', '<speak></speak>', '```\nconst x = 1;\n```', '👍 …']) {
      const result = synthesizeNow(provider.speech('ada'), { text });
      expect(withoutAt(result.events)).toEqual([{ type: 'end', durationMs: 0 }]);
    }
  });

  test('strips markup before speaking', () => {
    const plain = synthesizeNow(provider.speech('ada'), { text: 'Hello there, friend.' });
    const marked = synthesizeNow(provider.speech('ada'), {
      text: '<speak>**Hello** there, <emphasis>friend</emphasis>.</speak>',
    });
    expect(firstDifference(marked.samples, plain.samples)).toBe(-1);
  });

  test('prosody: rate shortens the audio and pitchSemitones raises the pitch', () => {
    const text = 'We should look at the evidence before deciding.';
    const normal = synthesizeNow(provider.speech('chen'), { text });
    const fast = synthesizeNow(provider.speech('chen'), { text, prosody: { rate: 1.5 } });
    const ratio = fast.end.durationMs / normal.end.durationMs;
    expect(ratio).toBeGreaterThan(0.55);
    expect(ratio).toBeLessThan(0.8);
    const higher = synthesizeNow(provider.speech('chen'), { text, prosody: { pitchSemitones: 5 } });
    const semitones =
      12 * Math.log2(medianPitchHz(higher.samples, 22050) / medianPitchHz(normal.samples, 22050));
    expect(semitones).toBeGreaterThan(3);
    expect(semitones).toBeLessThan(7);
    const modelDefault = synthesizeNow(provider.speech({ voice: 'chen', prosody: { rate: 1.5 } }), { text });
    expect(firstDifference(modelDefault.samples, fast.samples)).toBe(-1);
  });

  test('takes prosody hints from core’s emotion engine: an agitated agent speaks faster', () => {
    const emotions = new EmotionEngine({ rateGain: 0.5 });
    for (let at = 0; at < 5000; at += 1000) {
      emotions.observe({ type: 'interrupted', agentId: 'bruno', at });
    }
    const prosody = emotions.prosodyOf('bruno');
    expect(prosody.rate).toBeGreaterThan(1.1);
    const text = 'No, that is simply not what the figures say.';
    const calm = synthesizeNow(provider.speech('bruno'), { text, prosody: emotions.prosodyOf('calm-agent') });
    const agitated = synthesizeNow(provider.speech('bruno'), { text, prosody });
    // Duration scales with 1 / rate (the engine's words per minute), give or take pauses and a frame.
    const expected = calm.end.durationMs / prosody.rate!;
    expect(agitated.end.durationMs).toBeLessThan(calm.end.durationMs);
    expect(Math.abs(agitated.end.durationMs - expected) / expected).toBeLessThan(0.12);
  });

  test('a request may pick another voice and a language', () => {
    const model = provider.speech('ada');
    const asBruno = synthesizeNow(model, { text: 'Hello.', voice: 'bruno' });
    expect(
      firstDifference(asBruno.samples, synthesizeNow(provider.speech('bruno'), { text: 'Hello.' }).samples),
    ).toBe(-1);
    const german = synthesizeNow(model, { text: 'Guten Morgen, wie geht es dir?', language: 'de-DE' });
    expect(rmsDbfs(german.samples)).toBeGreaterThan(-30);
    expect(german.words.map((mark) => mark.text)).toEqual(['Guten', 'Morgen', 'wie', 'geht', 'es', 'dir']);
  });

  describe('resampling', () => {
    for (const sampleRate of [16000, 24000] as const) {
      test(`emits 20 ms frames at ${sampleRate} Hz with the same speech`, () => {
        const native = synthesizeNow(provider.speech('bruno'), { text: TEXT });
        const result = synthesizeNow(provider.speech('bruno'), { text: TEXT, sampleRate });
        for (const { frame } of result.frames) {
          expect(frame.sampleRate).toBe(sampleRate);
          expect(frame.samples.length).toBe(sampleRate / 50);
        }
        expect(Math.abs(result.end.durationMs - native.end.durationMs)).toBeLessThanOrEqual(20);
        expect(withoutAt(result.marks)).toEqual(withoutAt(native.marks));
        const pitchRatio = medianPitchHz(result.samples, sampleRate) / medianPitchHz(native.samples, 22050);
        expect(pitchRatio).toBeGreaterThan(0.95);
        expect(pitchRatio).toBeLessThan(1.05);
        expect(Math.abs(rmsDbfs(result.samples) - rmsDbfs(native.samples))).toBeLessThan(1.5);
      });
    }
  });

  describe('bad input', () => {
    const model = provider.speech('ada');
    const cases: [string, () => Observable<TtsEvent>, string][] = [
      ['an unknown voice', () => model.synthesize({ text: 'Hi.', voice: 'nobody' }), 'request.voice'],
      ['a zero rate', () => model.synthesize({ text: 'Hi.', prosody: { rate: 0 } }), 'prosody.rate'],
      ['a NaN rate', () => model.synthesize({ text: 'Hi.', prosody: { rate: Number.NaN } }), 'prosody.rate'],
      ['a huge rate', () => model.synthesize({ text: 'Hi.', prosody: { rate: 9 } }), 'prosody.rate'],
      [
        'an out-of-range pitch shift',
        () => model.synthesize({ text: 'Hi.', prosody: { pitchSemitones: 40 } }),
        'prosody.pitchSemitones',
      ],
      [
        'a language mespeak lacks',
        () => model.synthesize({ text: 'Hi.', language: 'ja-JP' }),
        'request.language',
      ],
      ['a number as text', () => model.synthesize({ text: 42 as unknown as string }), 'request.text'],
      [
        'a stream with a non-string piece',
        () => model.synthesize({ text: from(['Hi ', 7 as unknown as string]) }),
        'request.text',
      ],
      ['no request', () => model.synthesize(null as unknown as { text: string }), 'request'],
    ];
    for (const [name, run, argument] of cases) {
      test(`${name} errors the stream with an InvalidArgumentError naming ${argument}`, () => {
        const error = errorOf(run());
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        expect((error as InvalidArgumentError).argument).toBe(argument);
      });
    }

    test('an unsupported output rate errors with UnsupportedSampleRateError', () => {
      const error = errorOf(model.synthesize({ text: 'Hi.', sampleRate: 11025 as 16000 }));
      expect(UnsupportedSampleRateError.isInstance(error)).toBe(true);
    });

    test('an erroring text stream errors the synthesis with the same error', () => {
      const failure = new Error('upstream LLM failed');
      const text = new Observable<string>((subscriber) => {
        subscriber.next('Partial text');
        subscriber.error(failure);
      });
      expect(errorOf(model.synthesize({ text }))).toBe(failure);
    });
  });
});
