import { createEchoAgent, createVirtualClock, samplesToPcm16Bytes } from '@argentum/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FakeSocket } from '../internal/fake-socket.test-support';
import { TestClient } from '../internal/test-client.test-support';
import { createScriptedStt } from '../testing/scripted-stt';
import { createToneTts } from '../testing/tone-tts';
import { type ConnectionSettings, ConversationConnection } from './conversation-connection';
import { defineAgent } from './server-agent';
import { createVoiceAgentServer } from './voice-agent-server';

/** A message to send and whether the protocol accepts it. */
interface Fuzzed {
  data: string | Buffer;
  binary: boolean;
  valid: boolean;
}

const base64Of = (bytes: number[]) => Buffer.from(bytes).toString('base64');

const validMessage: fc.Arbitrary<Fuzzed> = fc
  .oneof(
    fc.constant({ type: 'user_activity' }),
    fc.record({ type: fc.constant('contextual_update'), text: fc.string({ maxLength: 200 }) }),
    fc.record({ type: fc.constant('pong'), event_id: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({
      type: fc.constant('feedback'),
      score: fc.constantFrom('like', 'dislike', null),
      event_id: fc.nat(100),
    }),
    fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 0, maxLength: 800 }).map((samples) => ({
      user_audio_chunk: Buffer.from(samplesToPcm16Bytes(Int16Array.from(samples))).toString('base64'),
    })),
  )
  .map((message) => ({ data: JSON.stringify(message), binary: false, valid: true }));

const invalidMessage: fc.Arbitrary<Fuzzed> = fc
  .oneof(
    // Not JSON, or not an object.
    fc.string({ maxLength: 300 }).filter((text) => {
      try {
        const value: unknown = JSON.parse(text);
        return typeof value !== 'object' || value === null || Array.isArray(value);
      } catch {
        return true;
      }
    }),
    fc
      .jsonValue()
      .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
      .map((value) => JSON.stringify(value)),
    // Unknown types and missing types.
    fc
      .string({ maxLength: 40 })
      .filter(
        (type) =>
          ![
            'conversation_initiation_client_data',
            'pong',
            'user_message',
            'contextual_update',
            'user_activity',
            'client_tool_result',
            'feedback',
          ].includes(type),
      )
      .map((type) => JSON.stringify({ type })),
    fc
      .dictionary(
        fc
          .string({ maxLength: 8 })
          .filter((key) => !['type', 'user_audio_chunk', 'userAudioChunk'].includes(key)),
        fc.jsonValue(),
        { maxKeys: 4 },
      )
      .map((object) => JSON.stringify(object)),
    // Wrong field types.
    fc
      .oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()))
      .map((text) => JSON.stringify({ type: 'user_message', text })),
    fc
      .oneof(
        fc.string(),
        fc.double().filter((value) => !Number.isSafeInteger(value)),
        fc.constant(null),
      )
      .map((eventId) => JSON.stringify({ type: 'pong', event_id: eventId })),
    fc
      .oneof(fc.integer(), fc.constant(null), fc.object())
      .map((chunk) => JSON.stringify({ user_audio_chunk: chunk })),
    fc
      .string({ maxLength: 20 })
      .map((id) =>
        JSON.stringify({ type: 'client_tool_result', tool_call_id: `unknown-${id}`, result: 'x' }),
      ),
    // Huge strings.
    fc
      .integer({ min: 16_385, max: 60_000 })
      .map((length) => JSON.stringify({ type: 'contextual_update', text: 'x'.repeat(length) })),
    // Bad base64 and odd PCM lengths.
    fc
      .string({ minLength: 1, maxLength: 64 })
      .map((text) => `${text}#$%`)
      .map((chunk) => JSON.stringify({ user_audio_chunk: chunk })),
    fc
      .array(fc.nat(255), { minLength: 1, maxLength: 99 })
      .filter((bytes) => bytes.length % 2 === 1)
      .map((bytes) => JSON.stringify({ user_audio_chunk: base64Of(bytes) })),
    // A second handshake.
    fc.constant(JSON.stringify({ type: 'conversation_initiation_client_data' })),
  )
  .map((data) => ({ data, binary: false, valid: false }));

const binaryMessage: fc.Arbitrary<Fuzzed> = fc
  .uint8Array({ maxLength: 64 })
  .map((bytes) => ({ data: Buffer.from(bytes), binary: true, valid: false }));

const SETTINGS = {
  maxTextLength: 16_384,
  maxAudioBase64Length: 262_144,
  messagesPerSecond: 1000,
  messageBurst: 1000,
  maxBadMessages: 20,
  idleTimeoutMs: 60_000,
  initiationTimeoutMs: 5000,
  pingIntervalMs: 1000,
  maxBufferedBytes: 1 << 20,
  slowClientTimeoutMs: 10_000,
};

describe('fuzzing the protocol (10⁵ messages)', () => {
  // Parameters: 4500 runs × sequences of 20–60 messages, weights 60% valid / 35% invalid / 5% binary; a
  // quarter of the runs skip the handshake; a run stops at its connection's close. The number of
  // messages actually delivered (≥ 10⁵) is asserted.
  it('never crashes, answers every bad message (error event or 1008), and keeps a bystander session working', async () => {
    const clock = createVirtualClock();
    const agent = defineAgent({
      agents: createEchoAgent(),
      stt: createScriptedStt({ transcripts: [] }),
      tts: createToneTts({ msPerWord: 20 }),
    });
    const settings: ConnectionSettings = { scheduler: clock.scheduler, ...SETTINGS };
    let total = 0;
    let refused = 0;
    let conversations = 0;
    const open = (): { socket: FakeSocket; connection: ConversationConnection } => {
      const socket = new FakeSocket();
      const connection = new ConversationConnection({
        socket: socket as unknown as WebSocket,
        conversationId: `conv_${++conversations}`,
        agentId: 'echo',
        agent,
        settings,
        report: () => undefined,
        onClosed: () => undefined,
      });
      return { socket, connection };
    };
    const bystander = open();
    bystander.socket.emit('message', Buffer.from('{"type":"conversation_initiation_client_data"}'), false);

    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.array(
          fc.oneof(
            { weight: 12, arbitrary: validMessage },
            { weight: 7, arbitrary: invalidMessage },
            { weight: 1, arbitrary: binaryMessage },
          ),
          {
            minLength: 20,
            maxLength: 60,
          },
        ),
        (skipHandshake, alsoSkip, messages) => {
          // The bystander stays active (its idle timer would otherwise end it in the long virtual run).
          bystander.socket.emit('message', Buffer.from('{"type":"user_activity"}'), false);
          const { socket, connection } = open();
          let handshake = !(skipHandshake && alsoSkip);
          if (handshake)
            socket.emit('message', Buffer.from('{"type":"conversation_initiation_client_data"}'), false);
          clock.advanceBy(25);
          let badSoFar = 0;
          for (const message of messages) {
            if (socket.closedWith !== undefined) break;
            total++;
            if (!handshake && message.data === '{"type":"conversation_initiation_client_data"}') {
              // A late but well-formed handshake: the conversation starts normally from here.
              socket.emit('message', Buffer.from(message.data), false);
              clock.advanceBy(25);
              handshake = true;
              continue;
            }
            const errorsBefore = socket.sent.filter((sent) => sent.type === 'error').length;
            socket.emit(
              'message',
              typeof message.data === 'string' ? Buffer.from(message.data) : message.data,
              message.binary,
            );
            clock.advanceBy(5);
            const errorsAfter = socket.sent.filter((sent) => sent.type === 'error').length;
            if (!handshake) {
              // Out of order: anything but the handshake closes the connection with 1008, and nothing is sent.
              expect(socket.closedWith).toBe(1008);
              expect(socket.sent).toEqual([]);
              refused++;
              break;
            }
            if (message.valid) {
              expect(errorsAfter).toBe(errorsBefore);
              expect(socket.closedWith).toBeUndefined();
            } else {
              refused++;
              badSoFar++;
              if (badSoFar > SETTINGS.maxBadMessages) expect(socket.closedWith).toBe(1008);
              else expect(errorsAfter).toBe(errorsBefore + 1);
            }
          }
          connection.close(1000, 'done');
        },
      ),
      { numRuns: 4500 },
    );
    expect(total).toBeGreaterThanOrEqual(100_000);
    expect(refused).toBeGreaterThan(20_000);
    // The bystander session still converses.
    bystander.socket.emit('message', Buffer.from('{"type":"user_message","text":"still here"}'), false);
    for (let step = 0; step < 20; step++) {
      for (let index = 0; index < 10; index++) await Promise.resolve();
      clock.advanceBy(50);
    }
    const responses = bystander.socket.sent.filter((sent) => sent.type === 'agent_response');
    expect(
      responses.map((sent) => (sent.agent_response_event as { agent_response: string }).agent_response),
    ).toEqual(['You said: still here']);
    expect(bystander.socket.closedWith).toBeUndefined();
  }, 120_000);

  it('over a real socket: a stream of malformed frames costs only the abuser its connection', async () => {
    const server = createVoiceAgentServer({
      agents: {
        echo: defineAgent({ agents: createEchoAgent(), stt: createScriptedStt({ transcripts: [] }) }),
      },
      rateLimit: { messagesPerSecond: 100_000, burst: 100_000 },
    });
    const { url } = await server.listen();
    const endpoint = `${url}/v1/convai/conversation?agent_id=echo`;
    try {
      const victim = await TestClient.connect(endpoint);
      const samples = fc.sample(fc.oneof(invalidMessage, binaryMessage), { numRuns: 2000, seed: 7 });
      let abuser = await TestClient.connect(endpoint);
      let closes = 0;
      for (const message of samples) {
        if (abuser.closeCode !== undefined) {
          expect(abuser.closeCode).toBe(1008);
          closes++;
          abuser = await TestClient.connect(endpoint);
        }
        const client = abuser;
        const errorsBefore = client.of('error').length;
        client.socket.send(message.data, { binary: message.binary });
        // Every bad frame is answered: an error event, or the 1008 close after repeated abuse.
        await client.waitUntil(
          () => client.of('error').length > errorsBefore || client.closeCode !== undefined,
        );
      }
      abuser.close();
      expect(closes).toBeGreaterThan(50);
      victim.send({ type: 'user_message', text: 'are you ok?' });
      const answer = await victim.waitFor((message) => message.type === 'agent_response');
      expect((answer.agent_response_event as { agent_response: string }).agent_response).toBe(
        'You said: are you ok?',
      );
      victim.close();
    } finally {
      await server.close({ drainTimeoutMs: 10 });
    }
  }, 60_000);
});
