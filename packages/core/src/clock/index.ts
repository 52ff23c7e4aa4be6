export { type PacedFrame, type PaceFramesOptions, paceFrames } from './pace-frames';
export {
  createRealtimeScheduler,
  isRealtimeScheduler,
  type RealtimeScheduler,
  type RealtimeSchedulerOptions,
  realtimeScheduler,
} from './realtime-scheduler';
export { createVirtualClock, type VirtualClock } from './virtual-clock';
