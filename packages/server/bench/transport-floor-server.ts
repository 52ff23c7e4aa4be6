/**
 * The load benchmark's baseline: the transport alone. A WebSocket server with the real server's
 * `ws` options that speaks the same protocol with the same message pattern under the bench's
 * workload — handshake, audio chunks read by the same fast path, a `vad_score` every 250 ms, a
 * ping every `pingIntervalMs`, and per user turn a transcript, a response and 100 ms `audio`
 * messages paced on the same scheduler (first 300 ms ahead, as the session's default `leadMs`) — but no session: no VAD,
 * endpointing, STT, agent, TTS or playback. Turns are found by the chunks' loudness (the bench's
 * clients send a loud tone, then near-silence). The difference between this and the real server
 * is what the voice-agent pipeline costs; this alone is the floor that `ws`, Node's streams and
 * the machine set.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { SchedulerLike, Subscription } from 'rxjs';
import { WebSocketServer } from 'ws';
import { readUserAudioChunkFrame } from '../src/protocol/user-audio-chunk-frame';

/** Endpointing (400 ms) + scripted STT (100 ms) + tone TTS first byte (100 ms), as in `load-server.ts`. */
const REPLY_DELAY_MS = 600;
/** "You said: turn N of the load test": 8 words of 200 ms. */
const REPLY_MS = 1600;
const CHUNK_MS = 100;
const LEAD_MS = 300;
const VAD_SCORE_INTERVAL_MS = 250;
const LOUD = 1000;

const audioChunk = (durationMs: number) => {
  const samples = new Int16Array((16000 * durationMs) / 1000);
  for (let index = 0; index < samples.length; index++)
    samples[index] = Math.round(6000 * Math.sin(index / 7));
  return Buffer.from(samples.buffer).toString('base64');
};
const FIRST_CHUNK = audioChunk(CHUNK_MS + LEAD_MS);
const CHUNK = audioChunk(CHUNK_MS);

/** The parts of `VoiceAgentServer` the load bench uses. */
export interface BenchServer {
  readonly connectionCount: number;
  listen(port: number, host: string): Promise<{ port: number }>;
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/** The transport-only server (see the file's comment). */
export function createTransportFloorServer(options: {
  scheduler: SchedulerLike;
  pingIntervalMs: number;
}): BenchServer {
  const { scheduler } = options;
  const http: Server = createServer();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 262_144 + 4096,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('convai') ? 'convai' : false),
  });
  let count = 0;
  http.on('upgrade', (request, socket, head) =>
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      count++;
      const tcp = (webSocket as unknown as { _socket: Socket })._socket;
      let corked = false;
      const send = (message: string) => {
        if (!corked) {
          corked = true;
          tcp.cork();
          queueMicrotask(() => {
            corked = false;
            tcp.uncork();
          });
        }
        webSocket.send(message);
      };
      const timers = new Set<Subscription>();
      const later = (work: () => void, delayMs: number) => {
        const timer = scheduler.schedule(() => {
          timers.delete(timer);
          work();
        }, delayMs);
        timers.add(timer);
      };
      let eventId = 0;
      let lastScoreAt = Number.NEGATIVE_INFINITY;
      let speaking = false;
      const ping = () => {
        send(JSON.stringify({ type: 'ping', ping_event: { event_id: ++eventId, ping_ms: 1 } }));
        later(ping, options.pingIntervalMs);
      };
      const reply = () => {
        const responseId = ++eventId;
        send(
          JSON.stringify({
            type: 'user_transcript',
            user_transcription_event: { user_transcript: 'turn', event_id: responseId },
          }),
        );
        send(
          JSON.stringify({
            type: 'agent_response',
            agent_response_event: { agent_response: 'You said: turn', event_id: responseId },
          }),
        );
        // Paced without drift (each tick's due time is fixed from the first), as the session's
        // playback clock makes its output: a late tick does not delay the ones after it.
        const startAt = scheduler.now();
        let sentMs = 0;
        const tick = () => {
          const payload = sentMs === 0 ? FIRST_CHUNK : CHUNK;
          sentMs += sentMs === 0 ? CHUNK_MS + LEAD_MS : CHUNK_MS;
          send(`{"type":"audio","audio_event":{"audio_base_64":"${payload}","event_id":${responseId}}}`);
          const nextDueAt = startAt + sentMs - LEAD_MS;
          if (sentMs < REPLY_MS) later(tick, Math.max(0, nextDueAt - scheduler.now()));
        };
        tick();
      };
      webSocket.on('message', (data: Buffer) => {
        const bytes = readUserAudioChunkFrame(data, 262_144);
        if (bytes === undefined) {
          const message = JSON.parse(data.toString('utf8')) as { type?: string };
          if (message.type === 'conversation_initiation_client_data') {
            send(
              JSON.stringify({
                type: 'conversation_initiation_metadata',
                conversation_initiation_metadata_event: {
                  conversation_id: `conv_${count}`,
                  agent_output_audio_format: 'pcm_16000',
                  user_input_audio_format: 'pcm_16000',
                },
              }),
            );
            later(ping, options.pingIntervalMs);
          }
          return;
        }
        const now = scheduler.now();
        if (now - lastScoreAt >= VAD_SCORE_INTERVAL_MS) {
          lastScoreAt = now;
          send(JSON.stringify({ type: 'vad_score', vad_score_event: { vad_score: speaking ? 0.9 : 0.1 } }));
        }
        // Loud if any of the first 64 samples is (a 220 Hz tone peaks within 37 samples).
        const samples = new Int16Array(bytes.buffer, bytes.byteOffset, Math.min(64, bytes.length >> 1));
        let loud = false;
        for (const sample of samples) if (sample > LOUD || sample < -LOUD) loud = true;
        if (speaking && !loud) later(reply, REPLY_DELAY_MS);
        speaking = loud;
      });
      webSocket.on('close', () => {
        count--;
        for (const timer of timers) timer.unsubscribe();
      });
    }),
  );
  return {
    get connectionCount() {
      return count;
    },
    listen: (port, host) =>
      new Promise((resolve) =>
        http.listen(port, host, () => resolve({ port: (http.address() as { port: number }).port })),
      ),
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate();
        http.close(() => resolve());
      }),
  };
}
