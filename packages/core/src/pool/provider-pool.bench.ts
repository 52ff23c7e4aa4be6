import { type Observable, of } from 'rxjs';
import { bench, describe } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import type { TtsModel } from '../provider/tts-model';
import { createPooledTtsModel } from './pooled-tts-model';
import { ProviderPool } from './provider-pool';
import {
  combineRouting,
  leastBusyRouting,
  lowestLatencyRouting,
  preferResidentRouting,
} from './routing-policy';

// What the pool adds to one request: a synchronous model emitting three events, called directly
// versus through a pool of four members (routing, circuit check, attempt bookkeeping, latency
// record, no tracer SDK installed — the OpenTelemetry API is a no-op).
interface Model {
  call(): Observable<number>;
}
const model: Model = { call: () => of(1, 2, 3) };
const clock = createVirtualClock();
const members = ['a', 'b', 'c', 'd'].map((id) => ({ id, create: () => model }));
const declared = new ProviderPool<Model>({ scheduler: clock.scheduler, members, firstEventTimeoutMs: 1000 });
const combined = new ProviderPool<Model>({
  scheduler: clock.scheduler,
  members,
  firstEventTimeoutMs: 1000,
  routing: combineRouting(preferResidentRouting(), lowestLatencyRouting(), leastBusyRouting()),
});
const noop = (): void => {};

describe('ProviderPool request overhead (3 synchronous events)', () => {
  bench('direct call', () => {
    model.call().subscribe(noop);
  });
  bench('pool.run, declared order', () => {
    declared.run((m) => m.call()).subscribe(noop);
  });
  bench('pool.run, prefer-resident > lowest-p95 > least-busy', () => {
    combined.run((m) => m.call()).subscribe(noop);
  });
  const tts = createPooledTtsModel(
    new ProviderPool<TtsModel>({
      scheduler: clock.scheduler,
      members: [
        {
          id: 'tts',
          create: () => ({
            specificationVersion: 'v1' as const,
            provider: 'bench',
            modelId: 'bench',
            sampleRate: 16000 as const,
            capabilities: {
              streamingInput: true,
              streamingOutput: true,
              alignedMarks: false,
              multiContextCancel: false,
            },
            synthesize: () => of({ type: 'end' as const, durationMs: 0, at: 0 }),
          }),
        },
      ],
    }),
    { sampleRate: 16000 },
  );
  bench('pooled TTS synthesize, string text', () => {
    tts.synthesize({ text: 'Hello.' }).subscribe(noop);
  });
});
