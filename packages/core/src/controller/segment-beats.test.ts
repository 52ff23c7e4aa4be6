import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import type { PlaybackCancelEvent, PlaybackEndEvent, PlaybackEvent } from './audio-controller';
import { constantSamples, type FakeMark, fakeTtsEvents } from './fake-tts.test-support';
import { StreamingAudioController } from './streaming-audio-controller';

const RATE = 16000;
const TEXT = 'Bring it up for tomorrow. We meet — at noon, “sharp”.';
/** Word marks as a provider without punctuation sends them (mespeak strips it): 250 ms per word. */
const WORDS = ['Bring', 'it', 'up', 'for', 'tomorrow', 'We', 'meet', 'at', 'noon', 'sharp'];
const MARKS: FakeMark[] = WORDS.map((text, index) => ({
  kind: 'word',
  text,
  offsetMs: index * 250,
  durationMs: 200,
}));

function play(text: string | undefined, marks: FakeMark[], stopAtBeat?: number) {
  const clock = createVirtualClock();
  const controller = new StreamingAudioController({ sampleRate: RATE, scheduler: clock.scheduler });
  const events: PlaybackEvent[] = [];
  controller
    .play({
      kind: 'tts',
      id: 'line',
      speaker: 'ada',
      text,
      events: fakeTtsEvents({
        samples: constantSamples((marks.length * 250 * RATE) / 1000, 1000),
        sampleRate: RATE,
        scheduler: clock.scheduler,
        marks,
      }),
    })
    .subscribe((event) => events.push(event));
  if (stopAtBeat !== undefined) {
    clock.advanceBy(100);
    controller.stopAt({ segmentId: 'line', beatIndex: stopAtBeat });
  }
  clock.flush();
  return events;
}

const last = (events: PlaybackEvent[]) => events.at(-1) as PlaybackEndEvent | PlaybackCancelEvent;

describe('heard text keeps the original punctuation', () => {
  it('a segment heard to its end reads as its text, though the marks had no punctuation', () => {
    const events = play(TEXT, MARKS);
    expect(last(events)).toMatchObject({ type: 'end', heardText: TEXT });
  });

  it('a segment cut after a word keeps the punctuation up to the last heard word', () => {
    // Stopped at the beat of "at" (index 7): "meet" is the last word heard, with the dash before "at" unheard.
    expect(last(play(TEXT, MARKS, 7))).toMatchObject({
      type: 'cancel',
      heardText: 'Bring it up for tomorrow. We meet',
    });
    // Stopped at "noon": the dash that came before "at" is part of what was heard.
    expect(last(play(TEXT, MARKS, 8))).toMatchObject({ heardText: 'Bring it up for tomorrow. We meet — at' });
    expect(last(play(TEXT, MARKS, 9))).toMatchObject({
      heardText: 'Bring it up for tomorrow. We meet — at noon,',
    });
  });

  it('word beats report the word as written', () => {
    const beats = play(TEXT, MARKS).flatMap((event) => (event.type === 'beat' ? [event.text] : []));
    expect(beats).toEqual([
      'Bring',
      'it',
      'up',
      'for',
      'tomorrow.',
      'We',
      'meet',
      '— at',
      'noon,',
      '“sharp”.',
    ]);
  });

  it('a mark the text does not contain keeps its own text, and later marks still match', () => {
    // The provider spoke "2030" as two words.
    const text = 'By 2030, cars will be gone.';
    const words = ['By', 'twenty', 'thirty', 'cars', 'will', 'be', 'gone'];
    const marks: FakeMark[] = words.map((word, index) => ({
      kind: 'word',
      text: word,
      offsetMs: index * 250,
      durationMs: 200,
    }));
    expect(last(play(text, marks))).toMatchObject({ heardText: 'By twenty thirty cars will be gone.' });
  });

  it('without the segment text the marks are heard as they are', () => {
    expect(last(play(undefined, MARKS, 5))).toMatchObject({ heardText: 'Bring it up for tomorrow' });
  });
});
