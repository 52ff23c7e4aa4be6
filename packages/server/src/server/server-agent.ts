import { type SampleRate, VoiceAgentSession, type VoiceAgentSessionOptions } from '@argentum/core';
import type { SchedulerLike } from 'rxjs';
import type { AgentAudioFormat } from '../protocol/audio-format';
import type { ConversationOverrides } from '../protocol/client-messages';

/** What the server knows when a conversation starts, passed to {@link ServerAgent.createSession}. */
export interface ConversationInit {
  /** The new conversation's id (`conv_…`). */
  conversationId: string;
  /**
   * The id to carry on the session's spans and provider calls (`x-correlation-id`): the
   * conversation id, so one conversation can be followed from the WebSocket to every vendor call.
   */
  correlationId: string;
  /** The agent the client asked for. */
  agentId: string;
  /** The client's overrides, already filtered by {@link ServerAgent.allowOverrides}. */
  overrides: ConversationOverrides;
  /** The client's `dynamic_variables`. */
  dynamicVariables: Record<string, string | number | boolean>;
  /** The rate of the user's audio frames. */
  inputSampleRate: SampleRate;
  /** The rate the session must produce agent audio at. */
  outputSampleRate: SampleRate;
  /** Whether the client wants text only (no TTS). */
  textOnly: boolean;
  /** The server's scheduler: give it to the session. */
  scheduler: SchedulerLike;
}

/** Which client overrides an agent honours. */
export interface AllowedOverrides {
  /** `agent.prompt.prompt`. Default `true`. */
  prompt?: boolean;
  /** `agent.first_message`. Default `true`. */
  firstMessage?: boolean;
  /** `agent.language`. Default `true`. */
  language?: boolean;
  /** `tts.voice_id`. Default `true`. */
  voice?: boolean;
}

/**
 * One agent the server serves under an `agent_id`: how to build a `VoiceAgentSession` for a
 * new conversation, its audio formats, and who may reach it.
 *
 * @example
 * ```ts
 * const support: ServerAgent = defineAgent({ agents: createEchoAgent(), stt, tts, firstMessage: 'Hi!' });
 * createVoiceAgentServer({ agents: { support } });
 * ```
 */
export interface ServerAgent {
  /**
   * Builds the session of one conversation.
   * @param init - ids, filtered overrides, rates, scheduler.
   * @returns the session (the server starts, feeds and closes it).
   */
  createSession(init: ConversationInit): VoiceAgentSession;
  /** The format of the user's audio. Default `pcm_16000`. */
  inputFormat?: AgentAudioFormat;
  /** The format of the agent's audio. Default `pcm_16000`. */
  outputFormat?: AgentAudioFormat;
  /** Overrides the agent honours; others are ignored. Default: all. */
  allowOverrides?: AllowedOverrides;
  /** Whether clients may connect without a signed URL when the server has an auth secret. Default `false`. */
  public?: boolean;
}

/** Options of {@link defineAgent}: session options minus what the server provides per conversation. */
export type DefineAgentOptions = Omit<
  VoiceAgentSessionOptions,
  'conversationId' | 'correlationId' | 'scheduler'
> &
  Pick<ServerAgent, 'inputFormat' | 'outputFormat' | 'allowOverrides' | 'public'>;

/**
 * Declares a {@link ServerAgent} from session options: each conversation gets a
 * `VoiceAgentSession` with these agents and models, the client's honoured overrides (prompt,
 * first message, language, voice) and dynamic variables applied, and the output rate of the wire format.
 *
 * @param options - agents, models and tuning, plus formats and access.
 * @returns the server agent.
 * @example
 * ```ts
 * const support = defineAgent({
 *   agents: createConversationAgent({ llm }),
 *   stt: openai.transcriptionModel('gpt-4o-mini-transcribe'),
 *   tts: openai.speechModel('gpt-4o-mini-tts'),
 *   firstMessage: 'Hello {{user_name}}, how can I help?',
 * });
 * ```
 */
export function defineAgent(options: DefineAgentOptions): ServerAgent {
  const { inputFormat, outputFormat, allowOverrides, public: isPublic, ...sessionOptions } = options;
  const agent: ServerAgent = {
    createSession: (init) => {
      const overrides = init.overrides;
      const variables = { ...sessionOptions.variables, ...init.dynamicVariables };
      const firstMessage = overrides.firstMessage ?? sessionOptions.firstMessage;
      const systemPrompt = overrides.prompt ?? sessionOptions.systemPrompt;
      const language = overrides.language ?? sessionOptions.language;
      const voice = overrides.voiceId ?? sessionOptions.voice;
      const { tts, ...rest } = sessionOptions;
      return new VoiceAgentSession({
        ...rest,
        ...(init.textOnly || tts === undefined ? {} : { tts }),
        conversationId: init.conversationId,
        correlationId: init.correlationId,
        scheduler: init.scheduler,
        variables,
        output: { ...sessionOptions.output, sampleRate: init.outputSampleRate },
        ...(firstMessage === undefined ? {} : { firstMessage: fill(firstMessage, variables) }),
        ...(systemPrompt === undefined ? {} : { systemPrompt }),
        ...(language === undefined ? {} : { language }),
        ...(voice === undefined ? {} : { voice }),
      });
    },
  };
  if (inputFormat !== undefined) agent.inputFormat = inputFormat;
  if (outputFormat !== undefined) agent.outputFormat = outputFormat;
  if (allowOverrides !== undefined) agent.allowOverrides = allowOverrides;
  if (isPublic !== undefined) agent.public = isPublic;
  return agent;
}

function fill(template: string, variables: Record<string, string | number | boolean>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(variables, name) ? String(variables[name]) : whole,
  );
}
