import { Observable, type SchedulerLike } from 'rxjs';
import type { SampleRate } from '../audio/audio-frame';
import { decibelsToGain } from '../audio/gain-envelope';
import type { TtsEvent } from '../provider/tts-model';
import type { BeatEstimate } from './estimate-beats';
import type { VoiceProfile } from './voice-profile';

/** Rise and fall of each simulated word, ms: long enough not to click. */
const WORD_EDGE_MS = 5;

/**
 * Renders a beat estimate as mono PCM16: a sine tone at the profile's frequency and level while
 * each word lasts (with 5 ms raised-cosine edges), silence in the breaks.
 * @internal
 */
export function renderSimulatedSpeech(
  estimate: BeatEstimate,
  profile: VoiceProfile,
  sampleRate: SampleRate,
): Int16Array {
  const total = Math.round((estimate.durationMs * sampleRate) / 1000);
  const samples = new Int16Array(total);
  const amplitude = 32767 * decibelsToGain(profile.toneGainDb);
  if (amplitude === 0) return samples;
  const step = (2 * Math.PI * profile.toneHz) / sampleRate;
  const edge = Math.max(1, Math.round((WORD_EDGE_MS * sampleRate) / 1000));
  for (const beat of estimate.beats) {
    if (beat.kind !== 'word') continue;
    const start = Math.round((beat.offsetMs * sampleRate) / 1000);
    const end = Math.min(total, Math.round(((beat.offsetMs + beat.durationMs) * sampleRate) / 1000));
    const length = end - start;
    for (let i = 0; i < length; i++) {
      const distance = Math.min(i, length - 1 - i);
      const envelope = distance >= edge ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * distance) / edge);
      samples[start + i] = Math.round(amplitude * envelope * Math.sin(step * i));
    }
  }
  return samples;
}

/**
 * A TTS event stream for simulated speech: on subscription, synchronously, every mark (estimated,
 * `aligned: false`), the audio in `frameDurationMs` chunks (timestamps = offsets in the utterance),
 * then `end`; every event stamped with the scheduler's time.
 * @internal
 */
export function simulatedSpeechEvents(
  estimate: BeatEstimate,
  profile: VoiceProfile,
  sampleRate: SampleRate,
  frameDurationMs: number,
  scheduler: SchedulerLike,
): Observable<TtsEvent> {
  return new Observable<TtsEvent>((subscriber) => {
    const at = scheduler.now();
    for (const beat of estimate.beats) {
      subscriber.next({
        type: 'mark',
        kind: beat.kind,
        text: beat.text,
        offsetMs: beat.offsetMs,
        durationMs: beat.durationMs,
        aligned: false,
        at,
      });
    }
    const samples = renderSimulatedSpeech(estimate, profile, sampleRate);
    const chunk = Math.round((frameDurationMs * sampleRate) / 1000);
    for (let start = 0; start < samples.length && !subscriber.closed; start += chunk) {
      subscriber.next({
        type: 'audio',
        frame: {
          samples: samples.subarray(start, Math.min(samples.length, start + chunk)),
          sampleRate,
          channels: 1,
          timestamp: (start * 1000) / sampleRate,
        },
        at,
      });
    }
    subscriber.next({ type: 'end', durationMs: (samples.length * 1000) / sampleRate, at });
    subscriber.complete();
  });
}
