import {
  AuctionConversation,
  createVirtualClock,
  OfflineDebateAgent,
  type Persona,
  SimAudioController,
  SimulatedTtsModel,
} from '@argentum/core';
import { compare, type MeasureResult, round3 } from '../harness';

const DEBATERS: { id: string; persona: Persona }[] = [
  { id: 'ada', persona: { name: 'Ada', stance: 'for', assertiveness: 0.7 } },
  { id: 'bruno', persona: { name: 'Bruno', stance: 'against', assertiveness: 0.8 } },
  { id: 'chen', persona: { name: 'Chen', stance: 'neutral' } },
  { id: 'dara', persona: { name: 'Dara', stance: 'against', agreeableness: 0.7 } },
];
const AUDIO_MS = 10 * 60_000;

/** One 10-minute, 4-agent debate in virtual time, start to end, with the mixed audio assembled. */
function simulateDebate(seed: number): { events: number; samples: number } {
  const clock = createVirtualClock();
  const conversation = new AuctionConversation({
    agents: DEBATERS.map((debater, index) => new OfflineDebateAgent({ ...debater, seed: seed * 10 + index })),
    tts: new SimulatedTtsModel({ seed }),
    controller: new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler }),
    scheduler: clock.scheduler,
    topic: 'Should cities ban cars from their centres?',
    seed,
    maxDurationMs: AUDIO_MS,
  });
  let samples = 0;
  let events = 0;
  conversation.audio$.subscribe((frame) => {
    samples += frame.samples.length;
  });
  conversation.events$.subscribe(() => {
    events++;
  });
  clock.flush();
  return { events, samples };
}

/**
 * The simulator's speed: a 10-minute conversation of four offline agents with simulated TTS on a
 * virtual clock (16 kHz, interjections, interrupts, the mixed output assembled), wall time per
 * conversation. No peer; the note gives the ratio to real time (target: < 1 s wall, i.e. > 600×).
 */
export function conversationSuite(): Record<string, MeasureResult> {
  let seed = 0;
  let sink = 0;
  const result = compare(
    'µs per 10-minute 4-agent conversation (virtual time, simulated TTS, 16 kHz mixed audio)',
    {
      round() {
        seed++;
        const { events, samples } = simulateDebate(seed);
        sink += events + samples;
        return 1;
      },
    },
    null,
    { rounds: 7, minRoundMs: 1, warmupMs: 1 },
  );
  if (sink === 0) throw new Error('the simulated conversation produced nothing');
  const wallMs = result.ours_us / 1000;
  return {
    conversation_10min_4_agents: {
      ...result,
      note: `median ${round3(wallMs)} ms wall for ${AUDIO_MS / 1000} s of audio: ${Math.round(AUDIO_MS / wallMs)}× real time (target < 1000 ms)`,
    },
  };
}
