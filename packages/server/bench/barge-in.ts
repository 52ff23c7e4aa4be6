/**
 * Barge-in over the wire: a client on loopback streams real-time microphone audio (20 ms chunks of
 * near-silence) to a server; it asks a question, the agent answers at length, and at a random moment
 * during the answer the client starts speaking. Measured per trial, on the client's clock:
 * - pause latency: true speech onset (the first speech chunk's first sample, 20 ms before it is
 *   sent) → `interruption` received;
 * - tail: agent audio received after the `interruption` (ms of audio; the official client stops
 *   playback on `interruption`, so this is what could still be heard);
 * - buffered: agent audio received but not yet due for playback at the interruption (what the
 *   client drops).
 * Bounded: `TRIALS` trials (default 30), loopback only. Usage: `npx tsx bench/barge-in.ts [trials]`.
 */
import type { VoiceAgent } from '@argentum/core';
import { of } from 'rxjs';
import WebSocket from 'ws';
import { defineAgent } from '../src/server/server-agent';
import { createVoiceAgentServer } from '../src/server/voice-agent-server';
import { createScriptedStt } from '../src/testing/scripted-stt';
import { createToneTts } from '../src/testing/tone-tts';
import { userAudioChunk } from './bench-support';

const TRIALS = Number(process.argv[2] ?? 30);
const FRAME_MS = 20;
const SAMPLES = (16000 * FRAME_MS) / 1000;

const storyteller: VoiceAgent = {
  name: 'storyteller',
  description: 'talks at length',
  handle: (_context, transcript) =>
    transcript === 'question'
      ? of(
          'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty',
        )
      : of('okay'),
};
const server = createVoiceAgentServer({
  agents: {
    story: defineAgent({
      agents: storyteller,
      stt: createScriptedStt({
        transcripts: (index) => (index % 2 === 0 ? 'question' : 'stop'),
        latencyMs: 20,
      }),
      tts: createToneTts({ msPerWord: 200, firstByteMs: 20 }),
      endpointing: { minSilenceMs: 300 },
    }),
  },
});
const { url } = await server.listen(0, '127.0.0.1');

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const pauses: number[] = [];
const tails: number[] = [];
const buffered: number[] = [];
for (let trial = 0; trial < TRIALS; trial++) {
  const socket = new WebSocket(`${url}/v1/convai/conversation?agent_id=story`, ['convai']);
  await new Promise<void>((resolve) => socket.once('open', () => resolve()));
  let firstAudioAt: number | undefined;
  let audioMsReceived = 0;
  let interruptionAt: number | undefined;
  let audioMsAtInterruption = 0;
  let tailMs = 0;
  let corrected = false;
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; audio_event?: { audio_base_64: string } };
    if (message.type === 'audio') {
      const ms = (Buffer.from(message.audio_event!.audio_base_64, 'base64').length / 2 / 16000) * 1000;
      firstAudioAt ??= performance.now();
      if (interruptionAt !== undefined) tailMs += ms;
      else audioMsReceived += ms;
    } else if (
      message.type === 'interruption' &&
      interruptionAt === undefined &&
      firstAudioAt !== undefined
    ) {
      interruptionAt = performance.now();
      audioMsAtInterruption = audioMsReceived;
    } else if (message.type === 'agent_response_correction') {
      corrected = true;
    }
  });
  socket.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
  // Real-time microphone: the question (600 ms), then silence; speech again 0.8–2.8 s into the answer.
  const bargeAfterMs = 800 + Math.random() * 2000;
  let onsetSentAt: number | undefined;
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < 12_000) {
    const due = started + sent * FRAME_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t = sent * FRAME_MS;
    const inQuestion = t >= 300 && t < 900;
    const inBargeIn =
      firstAudioAt !== undefined &&
      performance.now() - firstAudioAt >= bargeAfterMs &&
      (onsetSentAt === undefined || performance.now() - onsetSentAt < 800);
    // A microphone chunk leaves FRAME_MS after its first sample was captured: that is the true onset.
    if (inBargeIn && onsetSentAt === undefined) onsetSentAt = performance.now() - FRAME_MS;
    socket.send(userAudioChunk(inQuestion || inBargeIn, sent, SAMPLES));
    sent++;
    if (corrected && interruptionAt !== undefined && performance.now() - interruptionAt > 1000) break;
  }
  socket.close();
  if (onsetSentAt === undefined || interruptionAt === undefined) {
    console.log(`trial ${trial}: no interruption observed`);
    continue;
  }
  pauses.push(interruptionAt - onsetSentAt);
  tails.push(tailMs);
  const playedByThen = interruptionAt - firstAudioAt!;
  buffered.push(Math.max(0, audioMsAtInterruption - playedByThen));
}
await server.close({ drainTimeoutMs: 10 });
const line = (name: string, values: number[]) =>
  `${name}: p50 ${quantile(values, 0.5).toFixed(1)} ms, p95 ${quantile(values, 0.95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
console.log(`${pauses.length} barge-ins over loopback`);
console.log(line('pause latency (true speech onset → interruption received)', pauses));
console.log(line('tail (agent audio received after the interruption)', tails));
console.log(line('client buffer dropped at the interruption', buffered));
