export { type PacedFrame, type PaceFramesOptions, paceFrames } from './pace-frames';
export { realtimeScheduler } from './realtime-scheduler';
export { createVirtualClock, type VirtualClock } from './virtual-clock';
