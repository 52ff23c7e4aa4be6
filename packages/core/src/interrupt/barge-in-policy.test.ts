import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { BARGE_IN_DEFAULTS } from './barge-in-options';
import { BargeInPolicy } from './barge-in-policy';
import { DEFAULT_BACKCHANNEL_WORDS } from './barge-in-words';

describe('BargeInPolicy', () => {
  it('has the documented defaults: 500 ms, 1 word, 2 s, 300 ms echo, no backchannels', () => {
    const policy = new BargeInPolicy();
    expect(policy.minSpeechDurationMs).toBe(500);
    expect(policy.minWords).toBe(1);
    expect(policy.falseInterruptionTimeoutMs).toBe(2000);
    expect(policy.echoWarmupMs).toBe(300);
    expect(policy.backchannelWords).toEqual([]);
    expect(BARGE_IN_DEFAULTS.minSpeechDurationMs).toBe(500);
  });

  it('rejects invalid options with the option name', () => {
    expect(() => new BargeInPolicy({ minSpeechDurationMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new BargeInPolicy({ minWords: 1.5 })).toThrow(/minWords/);
    expect(() => new BargeInPolicy({ falseInterruptionTimeoutMs: 0 })).toThrow(/falseInterruptionTimeoutMs/);
    expect(() => new BargeInPolicy({ backchannelWords: 'yeah' as unknown as string[] })).toThrow(
      /backchannelWords/,
    );
  });

  it('confirms once the voiced speech reaches the minimum, and asks to be woken exactly then', () => {
    const policy = new BargeInPolicy();
    const progress = policy.start('barge-in-1', { onsetAt: 1000, at: 1020 });
    expect(policy.decide(progress, 1020)).toEqual({ type: 'wait', wakeAt: 1500 });
    expect(policy.decide(progress, 1499)).toEqual({ type: 'wait', wakeAt: 1500 });
    expect(policy.decide(progress, 1500)).toEqual({ type: 'confirm', reason: 'min-speech' });
  });

  it('counts only voiced time: gaps between words push the confirmation back', () => {
    const policy = new BargeInPolicy();
    let progress = policy.start('barge-in-1', { onsetAt: 1000, at: 1020 });
    progress = policy.update(progress, { type: 'speech-pause', at: 1200 }); // 200 ms voiced
    expect(policy.decide(progress, 1600)).toEqual({ type: 'wait', wakeAt: undefined });
    progress = policy.update(progress, { type: 'speech-resume', at: 1600 });
    expect(policy.voicedMs(progress, 1700)).toBe(300);
    expect(policy.decide(progress, 1700)).toEqual({ type: 'wait', wakeAt: 1900 });
    expect(policy.decide(progress, 1900)).toEqual({ type: 'confirm', reason: 'min-speech' });
  });

  it('confirms on enough words at once, however short the speech', () => {
    const policy = new BargeInPolicy({ minWords: 2 });
    let progress = policy.start('barge-in-1', { onsetAt: 0, at: 20 });
    progress = policy.update(progress, { type: 'transcript', at: 150, text: 'stop', final: false });
    expect(policy.decide(progress, 150).type).toBe('wait');
    progress = policy.update(progress, { type: 'transcript', at: 200, text: 'stop it', final: false });
    expect(policy.decide(progress, 200)).toEqual({ type: 'confirm', reason: 'min-words' });
  });

  it('resumes after the timeout when the user stopped and no transcript came', () => {
    const policy = new BargeInPolicy();
    let progress = policy.start('barge-in-1', { onsetAt: 0, at: 20 });
    progress = policy.update(progress, { type: 'speech-pause', at: 200 });
    progress = policy.update(progress, { type: 'speech-end', at: 500 });
    expect(policy.decide(progress, 500)).toEqual({ type: 'wait', wakeAt: 2500 });
    expect(policy.decide(progress, 2500)).toEqual({ type: 'resume', reason: 'timeout' });
  });

  it('resumes at once on a final transcript that does not confirm, naming why', () => {
    const policy = new BargeInPolicy({ backchannelWords: DEFAULT_BACKCHANNEL_WORDS, minWords: 2 });
    const ended = policy.update(policy.start('b', { onsetAt: 0, at: 20 }), { type: 'speech-end', at: 400 });
    const after = (text: string) =>
      policy.decide(policy.update(ended, { type: 'transcript', at: 450, text, final: true }), 450);
    expect(after('Uh huh.')).toEqual({ type: 'resume', reason: 'backchannel' });
    expect(after('')).toEqual({ type: 'resume', reason: 'no-words' });
    expect(after('yeah, wait')).toEqual({ type: 'resume', reason: 'too-few-words' });
    expect(after('wait, what?')).toEqual({ type: 'confirm', reason: 'min-words' });
  });

  it('with a backchannel list, long backchannel speech never confirms by duration alone', () => {
    const policy = new BargeInPolicy({ backchannelWords: ['yeah', 'mm-hmm'] });
    let progress = policy.start('b', { onsetAt: 0, at: 20 });
    expect(policy.decide(progress, 900)).toEqual({ type: 'wait', wakeAt: undefined });
    progress = policy.update(progress, {
      type: 'transcript',
      at: 900,
      text: 'yeah yeah mm hmm',
      final: false,
    });
    expect(policy.decide(progress, 900).type).toBe('wait');
    progress = policy.update(progress, {
      type: 'transcript',
      at: 950,
      text: 'yeah yeah mm hmm so',
      final: false,
    });
    expect(policy.decide(progress, 950)).toEqual({ type: 'confirm', reason: 'min-words' });
  });

  it('treats speech starting inside the echo warm-up window as echo', () => {
    const policy = new BargeInPolicy({ echoWarmupMs: 200 });
    expect(policy.isEcho(1100, 1000)).toBe(true);
    expect(policy.isEcho(1200, 1000)).toBe(false);
    expect(policy.isEcho(990, 1000)).toBe(false);
    expect(policy.isEcho(1100, undefined)).toBe(false);
    expect(new BargeInPolicy({ echoWarmupMs: 0 }).isEcho(1000, 1000)).toBe(false);
  });

  it('speech after a pause in the barge-in adds to the voiced time and needs a new final', () => {
    const policy = new BargeInPolicy();
    let progress = policy.start('b', { onsetAt: 0, at: 20 });
    progress = policy.update(progress, { type: 'speech-end', at: 300 });
    progress = policy.update(progress, { type: 'transcript', at: 320, text: '', final: true });
    progress = policy.update(progress, { type: 'speech-start', at: 420, onsetAt: 400 });
    expect(progress.finalReceived).toBe(false);
    expect(policy.decide(progress, 500)).toEqual({ type: 'wait', wakeAt: 600 });
    expect(policy.decide(progress, 600)).toEqual({ type: 'confirm', reason: 'min-speech' });
  });

  it('does not count a partial word that may still become a backchannel ("uh" of "uh-huh")', () => {
    const policy = new BargeInPolicy({ backchannelWords: DEFAULT_BACKCHANNEL_WORDS });
    const started = policy.start('b', { onsetAt: 0, at: 20 });
    const partial = (text: string) =>
      policy.update(started, { type: 'transcript', at: 100, text, final: false }).interruptingWordCount;
    expect(partial('uh')).toBe(0);
    expect(partial('mm')).toBe(0);
    expect(partial('uh huh')).toBe(0);
    expect(partial('uh wait')).toBe(2);
    expect(
      policy.update(started, { type: 'transcript', at: 100, text: 'uh', final: true }).interruptingWordCount,
    ).toBe(1);
  });
});
