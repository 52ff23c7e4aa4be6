export type {
  AudioController,
  AudioControllerState,
  AudioSegment,
  AudioSegmentBase,
  CancelReason,
  DuckLease,
  DuckLeaseStatus,
  DuckOptions,
  PlaybackBeatEvent,
  PlaybackCancelEvent,
  PlaybackChunkEvent,
  PlaybackEndEvent,
  PlaybackEvent,
  PlaybackEventBase,
  PlaybackStartEvent,
  SegmentPlaybackState,
  SegmentRole,
  StopTarget,
  TextSegment,
  TtsSegment,
} from './audio-controller';
export { AudioControllerBase } from './audio-controller-base';
export type { AudioControllerOptions, SegmentSource } from './audio-controller-options';
export { ControllerDisposedError } from './controller-disposed-error';
export { DuckLeaseBusyError } from './duck-lease-busy-error';
export { type BeatEstimate, type EstimatedBeat, estimateBeats } from './estimate-beats';
export { SimAudioController, type SimAudioControllerOptions } from './sim-audio-controller';
export {
  DEFAULT_TTS_GUARD_BAND,
  StreamingAudioController,
  type StreamingAudioControllerOptions,
  TTS_FIRST_CHUNK_STAGE,
} from './streaming-audio-controller';
export {
  DEFAULT_VOICE_PROFILE,
  resolveVoiceProfile,
  type VoiceProfile,
  type VoiceProfileOptions,
} from './voice-profile';
