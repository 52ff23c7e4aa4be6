import type { ServerMessage } from './server-messages';

/**
 * The JSON text of one server message, exactly as `JSON.stringify(message)` writes it. An `audio`
 * message is assembled around its base64 payload instead of stringifying it: the payload (kilobytes,
 * several times a second per conversation) needs no escaping, and copying it into a template is
 * about ten times cheaper than scanning it character by character. Precondition: `audio_base_64` is
 * standard base64 (`A–Z a–z 0–9 + / =`, as `encodeAgentAudio` writes it), which JSON never escapes.
 * @internal
 */
export function serializeServerMessage(message: ServerMessage): string {
  if (message.type !== 'audio') return JSON.stringify(message);
  const event = message.audio_event;
  const payload = event.audio_base_64;
  const alignment = event.alignment === undefined ? '' : `,"alignment":${JSON.stringify(event.alignment)}`;
  return `{"type":"audio","audio_event":{"audio_base_64":"${payload}","event_id":${JSON.stringify(event.event_id)}${alignment}}}`;
}
