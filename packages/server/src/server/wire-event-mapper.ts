import type { VoiceAgentEvent } from '@argentum/core';
import { type AgentAudioFormat, encodeAgentAudio } from '../protocol/audio-format';
import type { ServerMessage } from '../protocol/server-messages';

/**
 * Turns a session's events into the wire messages of the ElevenLabs Agents protocol and keeps the
 * event ids: each user transcript, agent response and tool call takes the next id; audio carries its
 * response's id; an interruption takes a fresh, higher id (the client drops older audio and stops
 * playing); a resumed response continues under another fresh id.
 * @internal
 */
export class WireEventMapper {
  readonly #format: AgentAudioFormat;
  #eventId = 0;
  /**
   * The event id of each response in flight (one, rarely two): parallel lists rather than a `Map`,
   * whose table is reallocated as it grows and empties.
   */
  readonly #responseIds: string[] = [];
  readonly #responseEventIds: number[] = [];

  constructor(outputFormat: AgentAudioFormat) {
    this.#format = outputFormat;
  }

  /** The messages for one session event (often none). */
  toMessages(event: VoiceAgentEvent): ServerMessage[] {
    switch (event.type) {
      case 'user-transcript':
        return [
          {
            type: 'user_transcript',
            user_transcription_event: { user_transcript: event.text, event_id: ++this.#eventId },
          },
        ];
      case 'tentative-user-transcript':
        return [
          {
            type: 'tentative_user_transcript',
            tentative_user_transcription_event: { user_transcript: event.text, event_id: this.#eventId + 1 },
          },
        ];
      case 'agent-response':
        return [
          {
            type: 'agent_response',
            agent_response_event: {
              agent_response: event.text,
              event_id: this.#responseEventId(event.responseId),
            },
          },
        ];
      case 'agent-audio': {
        const alignment = event.alignment;
        return [
          {
            type: 'audio',
            audio_event: {
              audio_base_64: encodeAgentAudio(event.samples, this.#format),
              event_id: this.#responseEventId(event.responseId),
              ...(alignment === undefined
                ? {}
                : {
                    alignment: {
                      chars: alignment.chars,
                      char_start_times_ms: alignment.startTimesMs,
                      char_durations_ms: alignment.durationsMs,
                    },
                  }),
            },
          },
        ];
      }
      case 'agent-paused':
        // A fresh id above the paused audio's: the client drops anything older and stops playing.
        return [{ type: 'interruption', interruption_event: { event_id: ++this.#eventId } }];
      case 'agent-resumed':
        this.#forgetResponse(event.responseId);
        this.#responseIds.push(event.responseId);
        this.#responseEventIds.push(++this.#eventId);
        return [];
      case 'agent-response-end':
        this.#forgetResponse(event.responseId);
        return [];
      case 'agent-interrupted': {
        const eventId = this.#responseEventId(event.responseId);
        this.#forgetResponse(event.responseId);
        return [
          {
            type: 'agent_response_correction',
            agent_response_correction_event: {
              original_agent_response: event.originalText,
              corrected_agent_response: event.heardText,
              event_id: eventId,
            },
          },
        ];
      }
      case 'client-tool-call':
        return [
          {
            type: 'client_tool_call',
            client_tool_call: {
              tool_name: event.toolName,
              tool_call_id: event.toolCallId,
              parameters: event.parameters,
              event_id: ++this.#eventId,
            },
          },
        ];
      case 'vad-score':
        return [
          {
            type: 'vad_score',
            vad_score_event: { vad_score: Math.round(event.score * 1000) / 1000 },
          },
        ];
      default:
        return [];
    }
  }

  #responseEventId(responseId: string): number {
    const index = this.#responseIds.indexOf(responseId);
    if (index >= 0) return this.#responseEventIds[index]!;
    this.#responseIds.push(responseId);
    this.#responseEventIds.push(++this.#eventId);
    return this.#eventId;
  }

  /** Drops a response's event id, moving the later ones down (order is kept). */
  #forgetResponse(responseId: string): void {
    const index = this.#responseIds.indexOf(responseId);
    if (index < 0) return;
    for (let at = index; at < this.#responseIds.length - 1; at++) {
      this.#responseIds[at] = this.#responseIds[at + 1]!;
      this.#responseEventIds[at] = this.#responseEventIds[at + 1]!;
    }
    this.#responseIds.pop();
    this.#responseEventIds.pop();
  }
}
