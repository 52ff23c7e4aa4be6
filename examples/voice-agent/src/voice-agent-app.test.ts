import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startVoiceAgentApp, type VoiceAgentApp } from './voice-agent-app';

let app: VoiceAgentApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('voice-agent example (offline)', () => {
  it('serves the page and the client bundle, mints signed URLs, and answers over the protocol with speech', async () => {
    app = await startVoiceAgentApp({ offline: true, port: 0, host: '127.0.0.1', env: {} });
    const page = await (await fetch(app.pageUrl)).text();
    expect(page).toContain('ElevenLabsClient.Conversation.startSession');
    const bundle = await fetch(`${app.pageUrl}vendor/elevenlabs-client.js`);
    expect(bundle.status).toBe(200);
    const { signedUrl } = (await (await fetch(`${app.pageUrl}api/signed-url`)).json()) as {
      signedUrl: string;
    };
    expect(signedUrl).toContain('conversation_signature=');
    // Without the signature the private agent refuses the upgrade.
    const refused = new WebSocket(`${app.url}/v1/convai/conversation?agent_id=assistant`, ['convai']);
    const status = await new Promise<number>((resolve) =>
      refused.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(status).toBe(401);

    const socket = new WebSocket(signedUrl, ['convai']);
    const messages: { type: string; [key: string]: unknown }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as { type: string }));
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
    socket.send(JSON.stringify({ type: 'user_message', text: 'What is Argentum?' }));
    const deadline = Date.now() + 20_000;
    const answered = () =>
      messages.some(
        (message) =>
          message.type === 'agent_response' &&
          (message.agent_response_event as { agent_response: string }).agent_response.startsWith(
            'You asked: What is Argentum?',
          ),
      );
    const spoke = () => messages.some((message) => message.type === 'audio');
    while (!(answered() && spoke()) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(messages[0]!.type).toBe('conversation_initiation_metadata');
    expect(answered()).toBe(true);
    expect(messages.filter((message) => message.type === 'audio').length).toBeGreaterThan(0);
    socket.close();
  }, 30_000);
});
