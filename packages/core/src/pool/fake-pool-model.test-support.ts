import { Observable, type SchedulerLike } from 'rxjs';
import { ServerError } from '../provider/provider-errors';

/** How a fake model answers one call. */
export type FakeBehaviour =
  | { kind: 'ok'; latencyMs: number; events?: number; gapMs?: number }
  | { kind: 'error'; afterMs: number }
  | { kind: 'stall' }
  | { kind: 'fail-after-output'; latencyMs: number };

/** A model whose calls emit strings on a scheduler, as scripted. */
export class FakeModel {
  calls = 0;
  active = 0;
  readonly inputs: unknown[] = [];
  constructor(
    readonly id: string,
    private readonly scheduler: SchedulerLike,
    public behaviour: FakeBehaviour | ((call: number) => FakeBehaviour) = { kind: 'ok', latencyMs: 10 },
  ) {}

  call(input?: unknown): Observable<string> {
    return new Observable<string>((subscriber) => {
      this.calls += 1;
      this.active += 1;
      this.inputs.push(input);
      const behaviour = typeof this.behaviour === 'function' ? this.behaviour(this.calls) : this.behaviour;
      const error = () => new ServerError({ provider: this.id, message: 'scripted failure', status: 500 });
      let subscription: { unsubscribe(): void } | undefined;
      if (behaviour.kind === 'ok') {
        const events = behaviour.events ?? 2;
        let sent = 0;
        const emit = (): void => {
          sent += 1;
          subscriber.next(`${this.id}:${sent}`);
          if (sent >= events) subscriber.complete();
          else subscription = this.scheduler.schedule(emit, behaviour.gapMs ?? 5);
        };
        subscription = this.scheduler.schedule(emit, behaviour.latencyMs);
      } else if (behaviour.kind === 'error') {
        subscription = this.scheduler.schedule(() => subscriber.error(error()), behaviour.afterMs);
      } else if (behaviour.kind === 'fail-after-output') {
        subscription = this.scheduler.schedule(() => {
          subscriber.next(`${this.id}:1`);
          subscription = this.scheduler.schedule(() => subscriber.error(error()), 5);
        }, behaviour.latencyMs);
      }
      return () => {
        this.active -= 1;
        subscription?.unsubscribe();
      };
    });
  }
}
