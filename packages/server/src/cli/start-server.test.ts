import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@argentum/core';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../internal/test-client.test-support';
import type { VoiceAgentServer } from '../server/voice-agent-server';
import { loadServerConfig, validateServerConfig } from './server-config';
import { startServer } from './start-server';

let server: VoiceAgentServer | undefined;
let folder: string | undefined;
afterEach(async () => {
  await server?.close({ drainTimeoutMs: 10 });
  server = undefined;
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

describe('startServer from a config file', () => {
  it('runs the configured agents with offline providers, static files and the signed-URL endpoint', async () => {
    folder = await mkdtemp(join(tmpdir(), 'argentum-config-'));
    await writeFile(join(folder, 'index.html'), '<p>hello page</p>');
    await writeFile(
      join(folder, 'server.config.json'),
      JSON.stringify({
        port: 0,
        secretEnv: 'TEST_SECRET',
        signedUrlEndpoint: true,
        metricsPath: '/metrics',
        static: { '/': '.' },
        agents: {
          helper: {
            stt: { provider: 'scripted', transcripts: [] },
            tts: { provider: 'tone' },
            firstMessage: 'Ready.',
          },
        },
      }),
    );
    const config = await loadServerConfig(join(folder, 'server.config.json'));
    const started = await startServer(config, { env: { TEST_SECRET: 'x'.repeat(40) } });
    server = started.server;
    const http = started.url.replace('ws:', 'http:');
    expect(await (await fetch(`${http}/`)).text()).toBe('<p>hello page</p>');
    expect((await fetch(`${http}/metrics`)).status).toBe(200);
    await expect(TestClient.connect(`${started.url}/v1/convai/conversation?agent_id=helper`)).rejects.toThrow(
      'HTTP 401',
    );
    const { signed_url: signedUrl } = (await (
      await fetch(`${http}/v1/convai/conversation/get-signed-url?agent_id=helper`)
    ).json()) as {
      signed_url: string;
    };
    const client = await TestClient.connect(signedUrl);
    const first = await client.waitFor((message) => message.type === 'agent_response');
    expect((first.agent_response_event as { agent_response: string }).agent_response).toBe('Ready.');
    client.send({ type: 'user_message', text: 'ping' });
    const echo = await client.waitFor(
      (message) =>
        message.type === 'agent_response' &&
        (message.agent_response_event as { agent_response: string }).agent_response !== 'Ready.',
    );
    expect((echo.agent_response_event as { agent_response: string }).agent_response).toBe('You said: ping');
    client.close();
  });

  it('refuses invalid configs and a missing secret with errors that name the field', async () => {
    const invalid = (value: unknown) => () => validateServerConfig(value, '/');
    expect(invalid({ agents: {} })).toThrow(/agents/);
    expect(invalid({ agents: { a: { stt: { provider: 'nope' } } } })).toThrow(/agents\.a\.stt\.provider/);
    expect(invalid({ agents: { a: { stt: { provider: 'scripted' }, agent: 'conversation' } } })).toThrow(
      /agents\.a\.llm/,
    );
    expect(invalid({ port: 70000, agents: { a: { stt: { provider: 'scripted' } } } })).toThrow(
      InvalidArgumentError,
    );
    expect(invalid({ agents: { a: { stt: { provider: 'scripted' }, outputFormat: 'mp3_44100' } } })).toThrow(
      /outputFormat/,
    );
    // A misspelt field is refused, never ignored: a typo of secretEnv would make every agent public.
    expect(
      invalid({ secretenv: 'ARGENTUM_SECRET', agents: { a: { stt: { provider: 'scripted' } } } }),
    ).toThrow(/secretenv: unknown field\. Did you mean "secretEnv"\?/);
    expect(invalid({ agents: { a: { stt: { provider: 'scripted' }, firstMesage: 'Hi' } } })).toThrow(
      /agents\.a\.firstMesage: unknown field\. Did you mean "firstMessage"\?/,
    );
    expect(invalid({ agents: { a: { stt: { provider: 'scripted', modle: 'x' } } } })).toThrow(
      /agents\.a\.stt\.modle: unknown field\. Did you mean "model"\?/,
    );
    expect(invalid({ limits: { burts: 5 }, agents: { a: { stt: { provider: 'scripted' } } } })).toThrow(
      /limits\.burts: unknown field\. Did you mean "burst"\?/,
    );
    expect(invalid({ correlationIdHeader: true, agents: { a: { stt: { provider: 'scripted' } } } })).toThrow(
      /correlationIdHeader/,
    );
    expect(
      validateServerConfig(
        { correlationIdHeader: 'x-request-id', agents: { a: { stt: { provider: 'scripted' } } } },
        '/',
      ).correlationIdHeader,
    ).toBe('x-request-id');
    expect(invalid({ colour: 'blue', agents: { a: { stt: { provider: 'scripted' } } } })).toThrow(
      /^(?!.*Did you mean).*colour: unknown field/,
    );
    await expect(
      startServer(
        { secretEnv: 'UNSET_SECRET', agents: { a: { stt: { provider: 'scripted' } } } },
        { env: {} },
      ),
    ).rejects.toThrow(/UNSET_SECRET/);
    await expect(startServer({ agents: { a: { stt: { provider: 'tone' } } } }, { env: {} })).rejects.toThrow(
      /speech-to-text/,
    );
  });
});
