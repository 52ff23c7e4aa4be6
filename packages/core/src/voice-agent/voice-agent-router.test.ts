import { lastValueFrom, type Observable, of, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { UnknownAgentError } from '../auction/auction-errors';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { LlmEvent, LlmModel, LlmRequest } from '../provider/llm-model';
import { SPECIFICATION_VERSION } from '../provider/specification';
import { createConversationAgent } from './conversation-agent';
import { createDialogueContext } from './dialogue-context';
import { createEchoAgent } from './echo-agent';
import { createSummarizationAgent } from './summarization-agent';
import { VoiceAgentRegistry } from './voice-agent-registry';
import { createKeywordRouter, createLlmIntentRouter } from './voice-agent-router';

function scriptedLlm(
  answer: (request: LlmRequest) => Observable<LlmEvent>,
): LlmModel & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'fake',
    modelId: 'fake-llm',
    capabilities: { streaming: true, tools: true },
    requests,
    stream: (request) => {
      requests.push(request);
      return answer(request);
    },
  };
}

const say = (...parts: string[]) =>
  of<LlmEvent[]>(...parts.map((text) => ({ type: 'text-delta' as const, text, at: 0 })), {
    type: 'end',
    finishReason: 'stop',
    at: 0,
  });

describe('agents, registry and routers', () => {
  const context = createDialogueContext('c', { variables: { user_name: 'Ada' } });
  context.turns.push(
    { role: 'user', text: 'hi', at: 0 },
    { role: 'agent', text: 'Hello Ada, the', at: 1, interrupted: true },
  );

  it('registry: default is the first agent, duplicates and unknown names are typed errors', () => {
    const registry = new VoiceAgentRegistry([createEchoAgent(), createEchoAgent({ name: 'echo-2' })]);
    expect(registry.defaultAgent.name).toBe('echo');
    registry.setDefault('echo-2');
    expect(registry.defaultAgent.name).toBe('echo-2');
    expect(() => registry.register(createEchoAgent())).toThrow(InvalidArgumentError);
    expect(() => registry.get('nobody')).toThrow(UnknownAgentError);
    expect(() => new VoiceAgentRegistry().defaultAgent).toThrow(UnknownAgentError);
  });

  it('keyword router: first matching rule on word boundaries, else the fallback', async () => {
    const registry = new VoiceAgentRegistry([createEchoAgent(), createEchoAgent({ name: 'summarization' })]);
    const router = createKeywordRouter({
      rules: [{ agent: 'summarization', keywords: ['sum up', 'recap'] }],
    });
    expect(await lastValueFrom(router.route('Could you sum up please', context, registry))).toEqual({
      agent: 'summarization',
      reason: 'keyword "sum up"',
    });
    expect((await lastValueFrom(router.route('recapitulate', context, registry))).agent).toBe('echo');
    expect(() => createKeywordRouter({ rules: [{ agent: 'x', keywords: [] }] })).toThrow(
      InvalidArgumentError,
    );
  });

  it('LLM intent router: picks the named agent, falls back on nonsense or failure', async () => {
    const registry = new VoiceAgentRegistry([createEchoAgent(), createEchoAgent({ name: 'billing' })]);
    const good = scriptedLlm(() => say('Bil', 'ling.'));
    expect(
      (await lastValueFrom(createLlmIntentRouter({ llm: good }).route('my invoice', context, registry)))
        .agent,
    ).toBe('billing');
    expect(good.requests[0]!.messages[0]!.content).toContain('- billing:');
    const nonsense = scriptedLlm(() => say('the weather'));
    expect(
      (await lastValueFrom(createLlmIntentRouter({ llm: nonsense }).route('x', context, registry))).agent,
    ).toBe('echo');
    const failing = scriptedLlm(() => throwError(() => new Error('down')));
    expect(
      (await lastValueFrom(createLlmIntentRouter({ llm: failing }).route('x', context, registry))).reason,
    ).toContain('failed');
  });

  it('conversation agent: prompt with variables, background and the heard history; streams deltas and tool calls', async () => {
    const llm = scriptedLlm(() =>
      of<LlmEvent[]>(
        { type: 'text-delta', text: 'Sure', at: 0 },
        { type: 'tool-call', id: 't1', name: 'open', argumentsJson: '{"page":2}', at: 0 },
        { type: 'end', finishReason: 'stop', at: 0 },
      ),
    );
    const agent = createConversationAgent({ llm, systemPrompt: 'Talk to {{user_name}}.', historyTurns: 2 });
    const withUpdate = { ...context, contextualUpdates: ['on pricing page'] };
    const outputs: unknown[] = [];
    await new Promise<void>((resolve) =>
      agent.handle(withUpdate, 'hi').subscribe({ next: (o) => outputs.push(o), complete: resolve }),
    );
    expect(outputs).toEqual([
      'Sure',
      { type: 'tool-call', toolCallId: 't1', toolName: 'open', parameters: { page: 2 } },
    ]);
    const messages = llm.requests[0]!.messages;
    expect(messages[0]!.content).toContain('Talk to Ada.');
    expect(messages[0]!.content).toContain('on pricing page');
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello Ada, the —' },
    ]);
  });

  it('summarization agent: sends the transcript and the request', async () => {
    const llm = scriptedLlm(() => say('You said hi.'));
    const agent = createSummarizationAgent({ llm });
    expect(await lastValueFrom(agent.handle(context, 'sum up'))).toBe('You said hi.');
    expect(llm.requests[0]!.messages[1]!.content).toContain('User: hi\nAgent: Hello Ada, the');
  });
});
