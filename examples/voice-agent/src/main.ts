import { parseArgs } from 'node:util';
import { startVoiceAgentApp } from './voice-agent-app';

const { values } = parseArgs({
  options: {
    offline: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const offline = values.offline === true || process.env.OPENAI_API_KEY === undefined;
const app = await startVoiceAgentApp({
  offline,
  port: Number(values.port),
  host: values.host ?? '127.0.0.1',
  env: process.env,
});
console.log(`voice agent (${offline ? 'offline: meSpeak + bundled OpenAI test server' : 'OpenAI'}) ready`);
console.log(`  open ${app.pageUrl} and press "Talk"`);
console.log(
  `  WebSocket: ${app.url}/v1/convai/conversation?agent_id=assistant (signed URLs from /api/signed-url)`,
);
console.log(`  metrics:   ${app.pageUrl}metrics`);
app.server.events.subscribe((event) => {
  if (event.type !== 'session-event') return;
  const inner = event.event;
  if (inner.type === 'user-transcript') console.log(`user:  ${inner.text}`);
  if (inner.type === 'agent-response') console.log(`agent: ${inner.text}`);
  if (inner.type === 'agent-interrupted') console.log(`       (interrupted; heard: "${inner.heardText}")`);
  if (inner.type === 'turn-metrics' && inner.metrics.endToEndMs !== undefined) {
    console.log(`       voice-to-voice ${inner.metrics.endToEndMs.toFixed(0)} ms`);
  }
});
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
