import type { SchedulerLike, Subscription } from 'rxjs';

/**
 * What a {@link FramePacer} asks its controller.
 * @internal
 */
export interface FramePacerHooks {
  /** Whether a frame due at `dueMs` has anything to render. */
  needsFrame(dueMs: number): boolean;
  /** The earliest time something may start, when nothing needs a frame now; `undefined`: never. */
  nextWakeTime(): number | undefined;
  /** Renders the frame due at `dueMs` (the scheduler reads `nowMs`). */
  renderFrame(dueMs: number, nowMs: number): void;
  /** Runs `change` as one serialized controller operation. */
  operate(change: () => void): void;
}

/**
 * The controller's output clock: renders frames at absolute due times `start + k · frameDurationMs`
 * on the scheduler while anything needs them, sleeps (one timer, at the next planned start, or
 * none) while idle, and re-anchors instead of bursting when the real-time loop falls more than
 * `maxCatchUpMs` behind.
 * @internal
 */
export class FramePacer {
  private timer: Subscription | undefined;
  private running = false;
  private wakeAt: number | undefined;
  private nextDue = 0;
  /** The end of the last rendered frame: a new run of frames never overlaps it. */
  private renderedUntil = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly frameDurationMs: number,
    private readonly maxCatchUpMs: number,
    private readonly hooks: FramePacerHooks,
  ) {}

  /** After a state change: starts rendering now, or sleeps until the next planned start. */
  settle(): void {
    if (this.stopped || this.running) return;
    const now = this.scheduler.now();
    const wanted = this.hooks.needsFrame(now) ? now : this.hooks.nextWakeTime();
    const startAt = wanted === undefined ? undefined : Math.max(now, wanted, this.renderedUntil);
    if (startAt === this.wakeAt && this.timer !== undefined) return;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.wakeAt = startAt;
    if (startAt === undefined) return;
    this.nextDue = startAt;
    this.timer = this.scheduler.schedule(() => this.tick(), this.nextDue - now);
  }

  /** Cancels the timer for good. */
  stop(): void {
    this.stopped = true;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.running = false;
    this.wakeAt = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    this.wakeAt = undefined;
    this.hooks.operate(() => {
      if (this.stopped) return;
      this.running = true;
      const now = this.scheduler.now();
      if (now - this.nextDue > this.maxCatchUpMs) this.nextDue = now;
      while (this.nextDue <= now) {
        if (!this.hooks.needsFrame(this.nextDue)) {
          this.running = false;
          return;
        }
        this.hooks.renderFrame(this.nextDue, now);
        this.nextDue += this.frameDurationMs;
        this.renderedUntil = this.nextDue;
        if (this.stopped) return;
      }
      if (this.hooks.needsFrame(this.nextDue)) {
        this.timer = this.scheduler.schedule(() => this.tick(), this.nextDue - now);
      } else {
        this.running = false;
      }
    });
  }
}
