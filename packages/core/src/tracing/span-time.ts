import type { HrTime, TimeInput } from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';

/**
 * Converts a scheduler time to an OpenTelemetry span time. The real-time scheduler reads
 * `performance.now()`, which an SDK converts to wall-clock time itself; any other scheduler's
 * `now()` is taken as Unix epoch ms (right for RxJS's `asyncScheduler`; for a virtual clock
 * starting at 0 the spans sit at 1970 plus the virtual time, with exact virtual durations).
 * @internal
 */
export function spanTime(scheduler: SchedulerLike, ms: number): TimeInput {
  if (scheduler === realtimeScheduler) return ms;
  let seconds = Math.floor(ms / 1000);
  let nanoseconds = Math.round((ms - seconds * 1000) * 1e6);
  if (nanoseconds >= 1e9) {
    seconds += 1;
    nanoseconds -= 1e9;
  }
  const time: HrTime = [seconds, nanoseconds];
  return time;
}
