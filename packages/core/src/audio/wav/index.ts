export { encodeWav } from './encode-wav';
export { readWav, type WavAudio } from './read-wav';
export { MemoryWavSink, type WavSink, WavWriter } from './wav-writer';
