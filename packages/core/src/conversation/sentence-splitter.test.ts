import { describe, expect, it } from 'vitest';
import { cleanSpokenText, SentenceSplitter } from './sentence-splitter';

describe('SentenceSplitter', () => {
  it('cuts sentences as deltas complete them, whatever the split', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('Cars choke our str')).toEqual([]);
    expect(splitter.push('eets. Buses')).toEqual(['Cars choke our streets.']);
    expect(splitter.push(' move more people! Really? "Yes." Bikes')).toEqual([
      'Buses move more people!',
      'Really?',
      '"Yes."',
    ]);
    expect(splitter.flushComplete()).toEqual([]); // a fragment is dropped when the stream breaks
    splitter.push('Trains run on time.');
    expect(splitter.flushComplete()).toEqual(['Trains run on time.']);
    splitter.push('and then');
    expect(splitter.flush()).toEqual(['and then']);
  });

  it('makes model text speakable', () => {
    expect(cleanSpokenText('**Bold** <break time="1s"/> `code`\n\n  and # more')).toBe('Bold code and more');
  });
});
