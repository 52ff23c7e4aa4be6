import {
  CORRELATION_ID_HEADER,
  createEchoAgent,
  encodeMulaw,
  realtimeScheduler,
  type VoiceAgent,
} from '@argentum/core';
import { of } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { audioSamples, concat, TestClient, tone } from '../internal/test-client.test-support';
import { createSignedUrl, mintConversationToken } from '../security/conversation-token';
import { createScriptedStt } from '../testing/scripted-stt';
import { createToneTts } from '../testing/tone-tts';
import { defineAgent } from './server-agent';
import type { ServerEvent } from './server-events';
import {
  createVoiceAgentServer,
  type VoiceAgentServer,
  type VoiceAgentServerOptions,
} from './voice-agent-server';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const servers: VoiceAgentServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ drainTimeoutMs: 10 })));
});

async function start(
  overrides: Partial<VoiceAgentServerOptions> = {},
  transcripts: string[] = ['hello there'],
) {
  const server = createVoiceAgentServer({
    agents: {
      echo: defineAgent({
        agents: createEchoAgent(),
        stt: createScriptedStt({ transcripts, latencyMs: 20 }),
        tts: createToneTts({ msPerWord: 100 }),
        endpointing: { minSilenceMs: 300 },
      }),
    },
    pingIntervalMs: 100,
    ...overrides,
  });
  servers.push(server);
  const events: ServerEvent[] = [];
  server.events.subscribe((event) => events.push(event));
  const { url } = await server.listen();
  return { server, url, events, endpoint: `${url}/v1/convai/conversation?agent_id=echo` };
}

const turn = () => concat(tone(300, false), tone(600, true), tone(500, false));

describe('voice-agent server (ElevenLabs Agents protocol)', () => {
  it('answers the handshake with conversation_initiation_metadata first, selecting the convai subprotocol', async () => {
    const { endpoint } = await start();
    const client = await TestClient.connect(endpoint);
    expect(client.socket.protocol).toBe('convai');
    const first = client.messages[0]!;
    expect(first.type).toBe('conversation_initiation_metadata');
    const metadata = first.conversation_initiation_metadata_event as Record<string, string>;
    expect(metadata.conversation_id).toMatch(/^conv_/);
    expect(metadata.agent_output_audio_format).toBe('pcm_16000');
    expect(metadata.user_input_audio_format).toBe('pcm_16000');
    client.close();
  });

  it('runs a spoken turn: transcript, response and aligned audio under increasing event ids; pings with ping_ms', async () => {
    const { endpoint } = await start();
    const client = await TestClient.connect(endpoint);
    client.sendAudio(turn());
    const transcript = await client.waitFor((message) => message.type === 'user_transcript');
    const response = await client.waitFor((message) => message.type === 'agent_response');
    const transcriptId = (transcript.user_transcription_event as { event_id: number }).event_id;
    const responseEvent = response.agent_response_event as { agent_response: string; event_id: number };
    expect((transcript.user_transcription_event as { user_transcript: string }).user_transcript).toBe(
      'hello there',
    );
    expect(responseEvent.agent_response).toBe('You said: hello there');
    expect(responseEvent.event_id).toBeGreaterThan(transcriptId);
    // 4 words × 100 ms of audio, paced in real time.
    await client.waitFor(
      () => client.of('audio').reduce((sum, message) => sum + audioSamples(message).length, 0) >= 4 * 1600,
      5000,
    );
    const audio = client.of('audio');
    expect(
      audio.every(
        (message) => (message.audio_event as { event_id: number }).event_id === responseEvent.event_id,
      ),
    ).toBe(true);
    const alignment = audio.flatMap(
      (message) => (message.audio_event as { alignment?: { chars: string[] } }).alignment?.chars ?? [],
    );
    expect(alignment.join('')).toBe('You said: hello there ');
    expect(client.of('vad_score').length).toBeGreaterThan(0);
    // Answer pings; a later ping reports the measured round trip.
    const ping = await client.waitFor((message) => message.type === 'ping');
    client.send({ type: 'pong', event_id: (ping.ping_event as { event_id: number }).event_id });
    const measured = await client.waitFor(
      (message) =>
        message.type === 'ping' && typeof (message.ping_event as { ping_ms: unknown }).ping_ms === 'number',
    );
    expect((measured.ping_event as { ping_ms: number }).ping_ms).toBeGreaterThanOrEqual(0);
    const pingIds = client.of('ping').map((message) => (message.ping_event as { event_id: number }).event_id);
    expect(pingIds).toEqual([...pingIds].sort((a, b) => a - b));
    client.close();
  });

  /** A server whose STT and TTS record the correlation id of each call. */
  async function startRecordingCorrelation(overrides: Partial<VoiceAgentServerOptions> = {}) {
    const stt = createScriptedStt({ transcripts: () => 'hello there', latencyMs: 20 });
    const tts = createToneTts({ msPerWord: 100 });
    const seen: { model: string; correlationId: string | undefined }[] = [];
    const started = await start({
      agents: {
        echo: defineAgent({
          agents: createEchoAgent(),
          stt: {
            ...stt,
            transcribe: (request, options) => {
              seen.push({ model: 'stt', correlationId: options?.headers?.[CORRELATION_ID_HEADER] });
              return stt.transcribe(request, options);
            },
          },
          tts: {
            ...tts,
            synthesize: (request, options) => {
              seen.push({ model: 'tts', correlationId: options?.headers?.[CORRELATION_ID_HEADER] });
              return tts.synthesize(request, options);
            },
          },
          endpointing: { minSilenceMs: 300 },
        }),
      },
      ...overrides,
    });
    /** One spoken turn; the correlation ids the STT and TTS calls carried. */
    const converse = async (headers?: Record<string, string>) => {
      seen.length = 0;
      const client = await TestClient.connect(started.endpoint, headers === undefined ? {} : { headers });
      const conversationId = (
        client.messages[0]!.conversation_initiation_metadata_event as { conversation_id: string }
      ).conversation_id;
      client.sendAudio(turn());
      await client.waitFor((message) => message.type === 'audio');
      client.close();
      return { conversationId, ids: seen.map((entry) => `${entry.model}:${entry.correlationId}`) };
    };
    return { ...started, converse };
  }

  it('carries the conversation id as the correlation id to the STT and TTS calls of the session', async () => {
    const { converse } = await startRecordingCorrelation();
    const { conversationId, ids } = await converse();
    expect(ids).toEqual([`stt:${conversationId}`, `tts:${conversationId}`]);
  });

  it('adopts a valid correlation id from the configured upgrade header only, ignoring malformed ones', async () => {
    // Off by default: a client-sent header is not trusted unless a proxy is said to set it.
    const off = await startRecordingCorrelation();
    const ignored = await off.converse({ 'x-correlation-id': 'gw-1' });
    expect(ignored.ids).toEqual([`stt:${ignored.conversationId}`, `tts:${ignored.conversationId}`]);

    const { converse, events } = await startRecordingCorrelation({ correlationIdHeader: 'x-correlation-id' });
    expect((await converse({ 'x-correlation-id': 'gw-req.42:a_b-c' })).ids).toEqual([
      'stt:gw-req.42:a_b-c',
      'tts:gw-req.42:a_b-c',
    ]);
    const started = events.filter((event) => event.type === 'conversation-start');
    expect(started.at(-1)).toMatchObject({ correlationId: 'gw-req.42:a_b-c' });
    for (const malformed of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const { conversationId, ids } = await converse({ 'x-correlation-id': malformed });
      expect(ids).toEqual([`stt:${conversationId}`, `tts:${conversationId}`]);
    }
    const custom = await startRecordingCorrelation({ correlationIdHeader: 'X-Request-Id' });
    expect((await custom.converse({ 'x-request-id': 'r-7', 'x-correlation-id': 'other' })).ids).toEqual([
      'stt:r-7',
      'tts:r-7',
    ]);
  });

  const echoAgents = () => ({
    echo: defineAgent({
      agents: createEchoAgent(),
      stt: createScriptedStt({ transcripts: [] }),
      tts: createToneTts({}),
    }),
  });

  it('refuses a correlationIdHeader that is not a header name', () => {
    expect(() =>
      createVoiceAgentServer({ agents: echoAgents(), correlationIdHeader: 'x correlation' }),
    ).toThrow(/correlationIdHeader.*HTTP header name/);
  });

  it('refuses timer durations Node cannot honour', () => {
    expect(() => createVoiceAgentServer({ agents: echoAgents(), idleTimeoutMs: 2 ** 31 })).toThrow(
      /idleTimeoutMs.*24\.8 days/,
    );
  });

  it('barge-in: interruption with a higher event id, a corrected response, then the new turn', async () => {
    const long: VoiceAgent = {
      name: 'long',
      description: 'speaks long',
      handle: () => of('one two three four five six seven eight nine ten eleven twelve'),
    };
    const { endpoint } = await start({
      agents: {
        echo: defineAgent({
          agents: long,
          stt: createScriptedStt({ transcripts: ['talk to me', 'wait stop'], latencyMs: 20 }),
          tts: createToneTts({ msPerWord: 100 }),
          endpointing: { minSilenceMs: 300 },
        }),
      },
    });
    const client = await TestClient.connect(endpoint);
    client.sendAudio(turn());
    await client.waitFor((message) => message.type === 'audio');
    await new Promise((resolve) => setTimeout(resolve, 250));
    client.sendAudio(concat(tone(700, true), tone(500, false)));
    const interruption = await client.waitFor((message) => message.type === 'interruption');
    const correction = await client.waitFor((message) => message.type === 'agent_response_correction');
    const audioId = (client.of('audio')[0]!.audio_event as { event_id: number }).event_id;
    const interruptionId = (interruption.interruption_event as { event_id: number }).event_id;
    expect(interruptionId).toBeGreaterThan(audioId);
    const corrected = correction.agent_response_correction_event as {
      original_agent_response: string;
      corrected_agent_response: string;
    };
    expect(corrected.original_agent_response).toBe(
      'one two three four five six seven eight nine ten eleven twelve',
    );
    expect(corrected.original_agent_response.startsWith(corrected.corrected_agent_response)).toBe(true);
    expect(corrected.corrected_agent_response.length).toBeLessThan(corrected.original_agent_response.length);
    // No audio of the interrupted reply after the interruption.
    const afterInterruption = client.messages.slice(client.messages.indexOf(interruption));
    expect(
      afterInterruption.filter(
        (message) =>
          message.type === 'audio' && (message.audio_event as { event_id: number }).event_id < interruptionId,
      ),
    ).toEqual([]);
    const second = await client.waitFor(
      (message) =>
        message.type === 'user_transcript' &&
        (message.user_transcription_event as { user_transcript: string }).user_transcript === 'wait stop',
    );
    expect((second.user_transcription_event as { event_id: number }).event_id).toBeGreaterThan(
      interruptionId,
    );
    client.close();
  });

  it('answers malformed messages with typed error events, closes 1008 on repeated abuse, and spares other sessions', async () => {
    const { endpoint, events } = await start({ maxBadMessages: 5 });
    const victim = await TestClient.connect(endpoint);
    const abuser = await TestClient.connect(endpoint);
    abuser.send('not json');
    abuser.send({ type: 'no_such_type' });
    abuser.send({ user_audio_chunk: '!!!' });
    abuser.send({ user_audio_chunk: Buffer.from([1, 2, 3]).toString('base64') });
    abuser.send({ type: 'user_message', text: 42 });
    await abuser.waitFor(() => abuser.of('error').length >= 5);
    expect(
      abuser.of('error').map((message) => (message.error_event as { error_type: string }).error_type),
    ).toEqual(['invalid_json', 'unknown_message_type', 'invalid_audio', 'invalid_audio', 'invalid_message']);
    abuser.send('[]');
    expect(await abuser.closed).toBe(1008);
    victim.send({ type: 'user_message', text: 'still there?' });
    const response = await victim.waitFor((message) => message.type === 'agent_response');
    expect((response.agent_response_event as { agent_response: string }).agent_response).toBe(
      'You said: still there?',
    );
    expect(events.filter((event) => event.type === 'protocol-error').length).toBeGreaterThanOrEqual(6);
    victim.close();
  });

  it('closes 1008 when the first message is not conversation_initiation_client_data', async () => {
    const { endpoint } = await start();
    const client = await TestClient.connect(endpoint, { initiate: false });
    client.send({ type: 'user_message', text: 'hi' });
    expect(await client.closed).toBe(1008);
    expect(client.messages).toEqual([]);
  });

  it('signed URLs: refuses missing, forged, expired and wrong-agent tokens at the upgrade; accepts valid ones; never reports the token', async () => {
    let now = 1_700_000_000_000;
    const logged: string[] = [];
    const logger = {
      info: (message: string, fields?: object) => logged.push(message + JSON.stringify(fields ?? {})),
      warn: (message: string, fields?: object) => logged.push(message + JSON.stringify(fields ?? {})),
      error: (message: string, fields?: object) => logged.push(message + JSON.stringify(fields ?? {})),
    };
    const { url, endpoint, events } = await start({ auth: { secret: SECRET }, wallClock: () => now, logger });
    await expect(TestClient.connect(endpoint)).rejects.toThrow('HTTP 401');
    const token = mintConversationToken({
      agentId: 'echo',
      secret: SECRET,
      expiresInMs: 60_000,
      wallClock: () => now,
    });
    const forged = `${token.slice(0, -4)}AAAA`;
    await expect(TestClient.connect(`${endpoint}&conversation_signature=${forged}`)).rejects.toThrow(
      'HTTP 401',
    );
    const otherAgent = mintConversationToken({ agentId: 'other', secret: SECRET, wallClock: () => now });
    await expect(TestClient.connect(`${endpoint}&conversation_signature=${otherAgent}`)).rejects.toThrow(
      'HTTP 401',
    );
    const signedUrl = createSignedUrl({
      serverUrl: url,
      agentId: 'echo',
      secret: SECRET,
      expiresInMs: 60_000,
      wallClock: () => now,
    });
    const client = await TestClient.connect(signedUrl);
    client.close();
    const bearer = await TestClient.connect(endpoint, { protocols: ['convai', `bearer.${token}`] });
    expect(bearer.socket.protocol).toBe('convai');
    bearer.close();
    now += 60_001;
    await expect(TestClient.connect(signedUrl)).rejects.toThrow('HTTP 401');
    const rejections = events.filter((event) => event.type === 'connection-rejected');
    expect(rejections.map((event) => (event as { detail: string }).detail)).toEqual([
      'a signed URL (conversation_signature) is required',
      'token refused: bad-signature',
      'token refused: wrong-agent',
      'token refused: expired',
    ]);
    const everything = JSON.stringify(events) + logged.join('\n');
    for (const secret of [
      token,
      forged,
      otherAgent,
      SECRET,
      new URL(signedUrl).searchParams.get('conversation_signature')!,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('[redacted]');
  });

  it('refuses origins outside the allowlist, unknown agents and wrong paths', async () => {
    const { url, endpoint } = await start({ allowedOrigins: ['https://app.example.com'] });
    await expect(TestClient.connect(endpoint, { origin: 'https://evil.example.com' })).rejects.toThrow(
      'HTTP 403',
    );
    const allowed = await TestClient.connect(endpoint, { origin: 'https://app.example.com' });
    allowed.close();
    await expect(TestClient.connect(`${url}/v1/convai/conversation?agent_id=nobody`)).rejects.toThrow(
      'HTTP 404',
    );
    await expect(TestClient.connect(`${url}/elsewhere?agent_id=echo`)).rejects.toThrow('HTTP 404');
  });

  it('rate-limits a flooding client (error, then 1008) and enforces maxPayload', async () => {
    const { endpoint } = await start({ rateLimit: { messagesPerSecond: 20, burst: 20 }, maxBadMessages: 30 });
    const flooder = await TestClient.connect(endpoint);
    for (let index = 0; index < 100; index++) flooder.send({ type: 'user_activity' });
    expect(await flooder.closed).toBe(1008);
    expect(
      flooder.of('error').map((message) => (message.error_event as { error_type: string }).error_type),
    ).toContain('rate_limited');
    const { endpoint: small } = await start({ maxPayloadBytes: 1000 });
    const big = await TestClient.connect(small);
    big.send({ type: 'user_message', text: 'x'.repeat(10_000) });
    expect(await big.closed).toBe(1009);
  });

  it('closes idle clients with 1002', async () => {
    const { endpoint } = await start({ idleTimeoutMs: 300, pingIntervalMs: 10_000 });
    const client = await TestClient.connect(endpoint);
    expect(await client.closed).toBe(1002);
  });

  it('honours overrides and dynamic variables, and decodes μ-law input', async () => {
    const seen: { prompt?: string; variables?: object; language?: string }[] = [];
    const recorder: VoiceAgent = {
      name: 'recorder',
      description: 'records',
      handle: (context, transcript) => {
        seen.push({
          ...(context.systemPrompt === undefined ? {} : { prompt: context.systemPrompt }),
          variables: context.variables,
          ...(context.language === undefined ? {} : { language: context.language }),
        });
        return of(`got ${transcript}`);
      },
    };
    const { endpoint } = await start({
      agents: {
        echo: defineAgent({
          agents: recorder,
          stt: createScriptedStt({ transcripts: ['by phone'], latencyMs: 20 }),
          tts: createToneTts({ msPerWord: 100 }),
          inputFormat: 'ulaw_8000',
          outputFormat: 'ulaw_8000',
          endpointing: { minSilenceMs: 300 },
        }),
      },
    });
    const client = await TestClient.connect(endpoint, {
      clientData: {
        conversation_config_override: {
          agent: { prompt: { prompt: 'Be terse.' }, first_message: 'Hi {{user_name}}!', language: 'de' },
          tts: { voice_id: 'ada' },
        },
        dynamic_variables: { user_name: 'Ada' },
      },
    });
    const metadata = client.messages[0]!.conversation_initiation_metadata_event as Record<string, string>;
    expect(metadata.user_input_audio_format).toBe('ulaw_8000');
    const first = await client.waitFor((message) => message.type === 'agent_response');
    expect((first.agent_response_event as { agent_response: string }).agent_response).toBe('Hi Ada!');
    const speech = concat(tone(300, false, 8000), tone(600, true, 8000), tone(600, false, 8000));
    client.send({ user_audio_chunk: Buffer.from(encodeMulaw(speech)).toString('base64') });
    await client.waitFor(
      (message) =>
        message.type === 'agent_response' &&
        (message.agent_response_event as { agent_response: string }).agent_response === 'got by phone',
    );
    expect(seen[0]).toEqual({ prompt: 'Be terse.', variables: { user_name: 'Ada' }, language: 'de' });
    const audio = await client.waitFor((message) => message.type === 'audio');
    // μ-law: one byte per sample.
    expect(
      Buffer.from((audio.audio_event as { audio_base_64: string }).audio_base_64, 'base64').length,
    ).toBeGreaterThan(0);
    client.close();
  });

  it('runs client tools: client_tool_call out, client_tool_result in, the agent answers with the result', async () => {
    let round = 0;
    const tooling: VoiceAgent = {
      name: 'tooling',
      description: 'tools',
      handle: (context) =>
        ++round === 1
          ? of({
              type: 'tool-call' as const,
              toolCallId: 'tc_1',
              toolName: 'get_time',
              parameters: { zone: 'UTC' },
            })
          : of(`It is ${context.turns.find((entry) => entry.role === 'tool')?.text}`),
    };
    const { endpoint } = await start({
      agents: {
        echo: defineAgent({
          agents: tooling,
          stt: createScriptedStt({ transcripts: [] }),
          tts: createToneTts(),
        }),
      },
    });
    const client = await TestClient.connect(endpoint);
    client.send({ type: 'user_message', text: 'what time is it' });
    const call = await client.waitFor((message) => message.type === 'client_tool_call');
    expect(call.client_tool_call).toMatchObject({
      tool_name: 'get_time',
      tool_call_id: 'tc_1',
      parameters: { zone: 'UTC' },
    });
    client.send({ type: 'client_tool_result', toolCallId: 'tc_1', result: 'noon', isError: false }); // camelCase spelling
    const answer = await client.waitFor((message) => message.type === 'agent_response');
    expect((answer.agent_response_event as { agent_response: string }).agent_response).toBe('It is noon');
    client.send({ type: 'client_tool_result', tool_call_id: 'tc_1', result: 'again', is_error: false });
    const error = await client.waitFor((message) => message.type === 'error');
    expect((error.error_event as { error_type: string }).error_type).toBe('invalid_message');
    client.close();
  });

  it('graceful shutdown: finishes the reply in progress, then closes 1001 and refuses new conversations', async () => {
    const { server, endpoint } = await start();
    const client = await TestClient.connect(endpoint);
    client.send({ type: 'user_message', text: 'one two three four five' });
    await client.waitFor((message) => message.type === 'audio');
    const closing = server.close({ drainTimeoutMs: 5000 });
    await expect(TestClient.connect(endpoint)).rejects.toThrow();
    expect(await client.closed).toBe(1001);
    await closing;
    const samples = client.of('audio').reduce((sum, message) => sum + audioSamples(message).length, 0);
    expect(samples).toBe(7 * 1600); // "You said: one two three four five" = 7 words × 100 ms, all of it
  });

  it('serves Prometheus metrics with per-turn latencies', async () => {
    const { url, endpoint } = await start({ metricsPath: '/metrics' });
    const client = await TestClient.connect(endpoint);
    client.sendAudio(turn());
    await client.waitFor((message) => message.type === 'agent_response');
    await new Promise((resolve) => setTimeout(resolve, 800));
    const text = await (await fetch(`${url.replace('ws:', 'http:')}/metrics`)).text();
    expect(text).toContain('argentum_conversations_active 1');
    expect(text).toMatch(/argentum_end_to_end_seconds_count 1/);
    expect(text).toMatch(/argentum_llm_time_to_first_token_seconds_count 1/);
    expect(text).toMatch(/argentum_tts_time_to_first_byte_seconds_count 1/);
    expect(text).toMatch(/argentum_stt_final_latency_seconds_count 1/);
    // The default scheduler timed the pings, the paced audio and the STT: each run is one observation.
    expect(Number(/argentum_timer_lateness_seconds_count (\d+)/.exec(text)?.[1])).toBeGreaterThan(5);
    client.close();
  });

  it('records no timer lateness on a scheduler of the caller', async () => {
    const { url } = await start({ metricsPath: '/metrics', scheduler: realtimeScheduler });
    const client = await TestClient.connect(`${url}/v1/convai/conversation?agent_id=echo`);
    await client.waitFor((message) => message.type === 'ping');
    const text = await (await fetch(`${url.replace('ws:', 'http:')}/metrics`)).text();
    expect(text).toContain('argentum_timer_lateness_seconds_count 0');
    client.close();
  });
});
