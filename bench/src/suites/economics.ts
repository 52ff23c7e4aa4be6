import {
  createVirtualClock,
  EnhancedAuctionResolver,
  GuardBand,
  LatencyProfiler,
  PacingController,
  QuantileSketch,
  SimpleAuctionResolver,
  TalkShareWindow,
} from '@argentum/core';
import { compare, type MeasureResult } from '../harness';

const AGENTS = ['ada', 'bruno', 'chen', 'dara', 'emil', 'fumi', 'gus', 'hana'];
const ROUNDS_PER_CALL = 10_000;

function bidRounds() {
  // 64 distinct rounds of 8 bids, cycled, so the branch predictor sees varied input.
  return Array.from({ length: 64 }, (_, r) => ({
    bids: AGENTS.map((agentId, i) => ({
      agentId,
      amount: 1 + ((r * 7 + i * 13) % 10),
      evidenceQuality: ((r + i) % 5) / 4,
    })),
    at: r,
  }));
}

/** 10⁶-scale auctions of 8 agents and latency records: ns per operation (no peer: absolute figures). */
export function economicsSuite(): Record<string, MeasureResult> {
  const rounds = bidRounds();
  const clock = createVirtualClock();
  const talk = new TalkShareWindow({ agents: AGENTS });
  const pacing = new PacingController();
  AGENTS.forEach((agentId, i) => {
    talk.record({ agentId, durationMs: 1000 + i * 400, at: i * 1000 });
  });
  pacing.update(talk);
  const enhanced = new EnhancedAuctionResolver({
    seed: 7,
    multipliers: [pacing],
    talkShares: talk,
    scheduler: clock.scheduler,
  });
  const simple = new SimpleAuctionResolver({ scheduler: clock.scheduler });
  const sketch = new QuantileSketch();
  const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
  const guard = new GuardBand(sketch, { floorMs: 250, bufferMs: 50 });
  const latencies = Float64Array.from({ length: 4096 }, (_, i) => 80 + ((i * 7919) % 900) + (i % 13) * 0.37);
  let sink = 0;

  const results: Record<string, MeasureResult> = {};
  const toNs = (r: MeasureResult): MeasureResult => ({
    ...r,
    ours_ns: Math.round(r.ours_us * 1000 * 10) / 10,
  });
  const loop = (work: (i: number) => void) => ({
    round() {
      for (let i = 0; i < ROUNDS_PER_CALL; i++) work(i);
      return ROUNDS_PER_CALL;
    },
  });
  results.auction_enhanced_8_agents = toNs(
    compare(
      'µs per auction (8 bids, pacing multipliers, softmax T=0.5, seeded draw)',
      loop((i) => {
        sink += enhanced.resolve(rounds[i & 63]!).winnerIndex;
      }),
      null,
      { rounds: 9, minRoundMs: 120 },
    ),
  );
  results.auction_simple_8_agents = toNs(
    compare(
      'µs per auction (8 bids, highest bid)',
      loop((i) => {
        sink += simple.resolve(rounds[i & 63]!).winnerIndex;
      }),
      null,
      { rounds: 9, minRoundMs: 120 },
    ),
  );
  results.latency_sketch_record = toNs(
    compare(
      'µs per latency record (QuantileSketch)',
      loop((i) => {
        sketch.record(latencies[i & 4095]!);
      }),
      null,
      { rounds: 9, minRoundMs: 120 },
    ),
  );
  results.latency_profiler_record = toNs(
    compare(
      'µs per latency record (LatencyProfiler, named stage)',
      loop((i) => {
        profiler.record('tts-first-chunk', latencies[i & 4095]!);
      }),
      null,
      { rounds: 9, minRoundMs: 120 },
    ),
  );
  results.guard_band_read = toNs(
    compare(
      'µs per guard-band read (p95 + buffer, floor)',
      loop(() => {
        sink += guard.commitGuardMs;
      }),
      null,
      { rounds: 9, minRoundMs: 120 },
    ),
  );
  for (const r of Object.values(results))
    r.note = 'no peer: absolute figure (ours_ns = nanoseconds per operation)';
  if (Number.isNaN(sink)) throw new Error('unreachable');
  profiler.dispose();
  return results;
}
