import { createEchoAgent } from '@argentum/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSignedUrl } from '../security/conversation-token';
import { defineAgent } from '../server/server-agent';
import { createVoiceAgentServer, type VoiceAgentServer } from '../server/voice-agent-server';
import { createScriptedStt } from '../testing/scripted-stt';
import { createToneTts } from '../testing/tone-tts';

const SECRET = 'node-test-secret-0123456789abcdef0123456789';
let server: VoiceAgentServer | undefined;

afterEach(async () => {
  await server?.close({ drainTimeoutMs: 10 });
  server = undefined;
});

async function startServer() {
  server = createVoiceAgentServer({
    agents: {
      echo: defineAgent({
        agents: createEchoAgent(),
        stt: createScriptedStt({ transcripts: [] }),
        tts: createToneTts({ msPerWord: 60 }),
        public: true,
      }),
      private: defineAgent({
        agents: createEchoAgent({ prefix: 'Private: ' }),
        stt: createScriptedStt({ transcripts: [] }),
      }),
    },
    auth: { secret: SECRET },
  });
  return (await server.listen()).url;
}

interface Message {
  source: string;
  message: string;
}

// Node 20 has a global WebSocket only with --experimental-websocket (set in vitest.config.ts).
describe.skipIf(typeof WebSocket === 'undefined')('the official @elevenlabs/client (Node, text only)', () => {
  it('connects with `origin`, sends a user message and receives the agent response', async () => {
    const origin = await startServer();
    const { Conversation } = await import('@elevenlabs/client');
    const messages: Message[] = [];
    let gotAnswer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      gotAnswer = resolve;
    });
    const conversation = await Conversation.startSession({
      origin,
      agentId: 'echo',
      connectionType: 'websocket',
      textOnly: true,
      overrides: { agent: { firstMessage: 'Welcome!' } },
      onMessage: (message: Message) => {
        messages.push(message);
        if (message.source === 'ai' && message.message.startsWith('You said')) gotAnswer();
      },
    });
    expect(conversation.getId()).toMatch(/^conv_/);
    conversation.sendUserMessage('hello from node');
    await answered;
    await conversation.endSession();
    expect(messages.map((message) => [message.source, message.message])).toEqual([
      ['ai', 'Welcome!'],
      ['user', 'hello from node'],
      ['ai', 'You said: hello from node'],
    ]);
  });

  it('connects to a private agent with a signed URL only', async () => {
    const url = await startServer();
    const { Conversation } = await import('@elevenlabs/client');
    await expect(
      Conversation.startSession({
        origin: url,
        agentId: 'private',
        connectionType: 'websocket',
        textOnly: true,
      }),
    ).rejects.toBeDefined();
    const signedUrl = createSignedUrl({ serverUrl: url, agentId: 'private', secret: SECRET });
    let resolveAnswer: (text: string) => void = () => undefined;
    const answer = new Promise<string>((resolve) => {
      resolveAnswer = resolve;
    });
    const conversation = await Conversation.startSession({
      signedUrl,
      connectionType: 'websocket',
      textOnly: true,
      onMessage: (message: Message) => {
        if (message.source === 'ai') resolveAnswer(message.message);
      },
    });
    conversation.sendUserMessage('secret plans');
    expect(await answer).toBe('Private: secret plans');
    await conversation.endSession();
  });
});
