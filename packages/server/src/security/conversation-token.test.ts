import { InvalidArgumentError } from '@argentum/core';
import { describe, expect, it } from 'vitest';
import { createSignedUrl, mintConversationToken, verifyConversationToken } from './conversation-token';
import { isOriginAllowed } from './origin-policy';
import { redactUrl } from './redact';

const secret = 'a'.repeat(64);
const clock = (now: number) => () => now;

describe('conversation tokens', () => {
  it('verify for the right agent until expiry; refuse forgeries, other secrets and other agents', () => {
    const token = mintConversationToken({
      agentId: 'support',
      secret,
      expiresInMs: 1000,
      wallClock: clock(5000),
    });
    expect(
      verifyConversationToken(token, { secret, agentId: 'support', wallClock: clock(5999) }),
    ).toMatchObject({
      ok: true,
      payload: { agentId: 'support', expiresAt: 6000 },
    });
    expect(verifyConversationToken(token, { secret, agentId: 'support', wallClock: clock(6000) })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyConversationToken(token, { secret, agentId: 'sales', wallClock: clock(5000) })).toEqual({
      ok: false,
      reason: 'wrong-agent',
    });
    expect(
      verifyConversationToken(token, { secret: 'b'.repeat(64), agentId: 'support', wallClock: clock(5000) }),
    ).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const [version, body, signature] = token.split('.');
    const tampered = Buffer.from(
      JSON.stringify({ agentId: 'support', expiresAt: 9e15, nonce: 'x' }),
    ).toString('base64url');
    expect(
      verifyConversationToken(`${version}.${tampered}.${signature}`, { secret, agentId: 'support' }).ok,
    ).toBe(false);
    expect(verifyConversationToken(`${version}.${body}`, { secret, agentId: 'support' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyConversationToken('x'.repeat(5000), { secret, agentId: 'support' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(mintConversationToken({ agentId: 'a', secret })).not.toBe(
      mintConversationToken({ agentId: 'a', secret }),
    );
  });

  it('refuses weak secrets and bad options with typed errors', () => {
    expect(() => mintConversationToken({ agentId: 'a', secret: 'short' })).toThrow(InvalidArgumentError);
    expect(() => mintConversationToken({ agentId: '', secret })).toThrow(InvalidArgumentError);
    expect(() => mintConversationToken({ agentId: 'a', secret, expiresInMs: -1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => createSignedUrl({ serverUrl: 'http://x', agentId: 'a', secret })).toThrow(
      InvalidArgumentError,
    );
  });

  it('signed URLs carry agent_id and conversation_signature on the conversation path', () => {
    const url = new URL(
      createSignedUrl({ serverUrl: 'wss://voice.example.com', agentId: 'support', secret }),
    );
    expect(url.pathname).toBe('/v1/convai/conversation');
    expect(url.searchParams.get('agent_id')).toBe('support');
    expect(
      verifyConversationToken(url.searchParams.get('conversation_signature')!, { secret, agentId: 'support' })
        .ok,
    ).toBe(true);
  });

  it('origin policy and URL redaction', () => {
    expect(isOriginAllowed('https://a.example', ['https://a.example'], false)).toBe(true);
    expect(isOriginAllowed('https://A.example/', ['https://a.example'], false)).toBe(true);
    expect(isOriginAllowed('https://b.example', ['https://a.example'], false)).toBe(false);
    expect(isOriginAllowed(undefined, ['https://a.example'], false)).toBe(true);
    expect(isOriginAllowed(undefined, ['https://a.example'], true)).toBe(false);
    expect(isOriginAllowed('https://b.example', ['*'], false)).toBe(true);
    expect(redactUrl('/v1/convai/conversation?agent_id=a&conversation_signature=v1.abc.def&token=t')).toBe(
      '/v1/convai/conversation?agent_id=a&conversation_signature=[redacted]&token=[redacted]',
    );
  });
});
