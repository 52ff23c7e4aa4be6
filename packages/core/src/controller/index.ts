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
export { ControllerDisposedError } from './controller-disposed-error';
export { DuckLeaseBusyError } from './duck-lease-busy-error';
