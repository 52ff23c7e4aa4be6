export { detectSpeech } from './detect-speech';
export { createEnergyVad, EnergyVad, type EnergyVadOptions } from './energy-vad';
export { SpeechDetector, type SpeechDetectorOptions } from './speech-detector';
export type { SpeechEndEvent, SpeechStartEvent, VadEvent } from './vad-event';
