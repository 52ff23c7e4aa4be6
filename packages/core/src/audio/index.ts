export {
  type AudioFormat,
  type AudioFrame,
  type AudioFrameInit,
  assertChannels,
  assertSampleRate,
  createAudioFrame,
  DEFAULT_FRAME_DURATION_MS,
  frameDurationMs,
  frameLength,
  type SampleRate,
  type SilentFrameOptions,
  SUPPORTED_SAMPLE_RATES,
  samplesPerDuration,
  silentFrame,
} from './audio-frame';
export { base64ToBytes, bytesToBase64 } from './base64';
export { AudioFramer, type AudioFramerOptions, frameAudio } from './frame-audio';
export { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from './g711';
export { type AudioLevel, measureLevel } from './level-meter';
export { type MixTracksOptions, mixTracks } from './mix-tracks';
export {
  type CrossfadeOptions,
  DEFAULT_MAX_RAMP_MS,
  Mixer,
  type MixerOptions,
  type MixerTrackOptions,
} from './mixer';
export { type GainRampOptions, MixerTrack } from './mixer-track';
export {
  type FrameFormatInit,
  float32ToInt16,
  frameToPcm16Bytes,
  int16ToFloat32,
  monoToStereo,
  pcm16BytesToFrame,
  pcm16BytesToSamples,
  samplesToPcm16Bytes,
  stereoToMono,
} from './pcm16';
export { type ResampleOptions, resample } from './resample';
export { type ResampleQuality, StreamingResampler, type StreamingResamplerOptions } from './resampler';
export {
  createEnergyVad,
  detectSpeech,
  EnergyVad,
  type EnergyVadOptions,
  SpeechDetector,
  type SpeechDetectorOptions,
  type SpeechEndEvent,
  type SpeechStartEvent,
  type VadEvent,
} from './vad/index';
export { encodeWav, MemoryWavSink, readWav, type WavAudio, type WavSink, WavWriter } from './wav/index';
