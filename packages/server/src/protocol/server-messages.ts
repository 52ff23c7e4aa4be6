import type { AgentAudioFormat } from './audio-format';

/**
 * Character alignment of an `audio` event, relative to that chunk's first sample.
 *
 * @example
 * ```ts
 * const alignment: WireAlignment = { chars: ['H', 'i'], char_start_times_ms: [0, 40], char_durations_ms: [40, 40] };
 * ```
 */
export interface WireAlignment {
  /** One entry per character. */
  chars: string[];
  /** Each character's start, in ms from the chunk's start. */
  char_start_times_ms: number[];
  /** Each character's duration in ms. */
  char_durations_ms: number[];
}

/**
 * A server → client message of the ElevenLabs Agents protocol, exactly as sent on the wire.
 *
 * @example
 * ```ts
 * const message: ServerMessage = { type: 'interruption', interruption_event: { event_id: 4 } };
 * ```
 */
export type ServerMessage =
  | {
      type: 'conversation_initiation_metadata';
      conversation_initiation_metadata_event: {
        conversation_id: string;
        agent_output_audio_format: AgentAudioFormat;
        user_input_audio_format: AgentAudioFormat;
      };
    }
  | { type: 'user_transcript'; user_transcription_event: { user_transcript: string; event_id: number } }
  | {
      type: 'tentative_user_transcript';
      tentative_user_transcription_event: { user_transcript: string; event_id: number };
    }
  | { type: 'agent_response'; agent_response_event: { agent_response: string; event_id: number } }
  | {
      type: 'agent_response_correction';
      agent_response_correction_event: {
        original_agent_response: string;
        corrected_agent_response: string;
        event_id: number;
      };
    }
  | {
      type: 'internal_tentative_agent_response';
      tentative_agent_response_internal_event: { tentative_agent_response: string };
    }
  | { type: 'audio'; audio_event: { audio_base_64: string; event_id: number; alignment?: WireAlignment } }
  | { type: 'interruption'; interruption_event: { event_id: number } }
  | { type: 'ping'; ping_event: { event_id: number; ping_ms: number | null } }
  | { type: 'vad_score'; vad_score_event: { vad_score: number } }
  | {
      type: 'client_tool_call';
      client_tool_call: {
        tool_name: string;
        tool_call_id: string;
        parameters: Record<string, unknown>;
        event_id: number;
      };
    }
  | { type: 'error'; error_event: { code: number; message: string; error_type: string } };

/**
 * The `type` of a {@link ServerMessage}.
 *
 * @example
 * ```ts
 * const type: ServerMessageType = 'audio';
 * ```
 */
export type ServerMessageType = ServerMessage['type'];

/**
 * Messages a slow client may lose without losing the conversation: they are dropped first when
 * the send buffer is over its soft limit.
 *
 * @example
 * ```ts
 * DROPPABLE_MESSAGE_TYPES.has('vad_score'); // true
 * ```
 */
export const DROPPABLE_MESSAGE_TYPES: ReadonlySet<ServerMessageType> = new Set<ServerMessageType>([
  'vad_score',
  'ping',
  'tentative_user_transcript',
  'internal_tentative_agent_response',
]);
