import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runDebate } from './conversation.test-support';
import { summarizeConversation } from './summarize-conversation';

function digest(audio: readonly Int16Array[]): string {
  const hash = createHash('sha256');
  for (const samples of audio)
    hash.update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  return hash.digest('hex');
}

describe('conversation determinism', () => {
  it('replays byte-identical events, transcript, metrics and audio from the same seed', () => {
    const first = runDebate(11, { maxDurationMs: 120_000 });
    const second = runDebate(11, { maxDurationMs: 120_000 });
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events));
    const summary = JSON.stringify(summarizeConversation(first.events));
    expect(JSON.stringify(summarizeConversation(second.events))).toBe(summary);
    expect(digest(second.audio)).toBe(digest(first.audio));
    expect(first.events.length).toBeGreaterThan(100);
  });

  it('gives a different conversation for another seed', () => {
    const first = runDebate(11, { maxDurationMs: 60_000 });
    const other = runDebate(12, { maxDurationMs: 60_000 });
    const transcript = (events: typeof first.events) =>
      summarizeConversation(events).transcript.map((line) => `${line.agentId}: ${line.text}`);
    expect(transcript(other.events)).not.toEqual(transcript(first.events));
  });
});
