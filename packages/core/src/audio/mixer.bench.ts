import { bench, describe } from 'vitest';
import { createAudioFrame } from './audio-frame';
import { Mixer } from './mixer';
import { encodeWav } from './wav/encode-wav';
import { readWav } from './wav/read-wav';

// One 20 ms output frame at 48 kHz stereo from four tracks, each fed a 20 ms frame per render.
function setup(rampEveryFrame: boolean) {
  const mixer = new Mixer({ sampleRate: 48000, channels: 2 });
  const samples = Int16Array.from({ length: 1920 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));
  const frame = createAudioFrame({ samples, sampleRate: 48000, channels: 2 });
  const tracks = ['a', 'b', 'c', 'd'].map((id, i) => mixer.addTrack(id, { gainDb: -3 * i }));
  let n = 0;
  return () => {
    for (const track of tracks) track.push(frame);
    if (rampEveryFrame) {
      n++;
      if (n % 2 === 0) tracks[0]!.duck(-12);
      else tracks[0]!.unduck();
    }
    mixer.render(n * 20);
  };
}

describe('Mixer.render, 4 tracks, 48 kHz stereo, 20 ms', () => {
  bench('settled gains', setup(false));
  bench('one track ramping every frame', setup(true));
});

const tenSeconds = encodeWav(new Int16Array(16000 * 10), { sampleRate: 16000, channels: 1 });
describe('WAV', () => {
  bench('readWav 10 s 16 kHz mono', () => {
    readWav(tenSeconds);
  });
});
