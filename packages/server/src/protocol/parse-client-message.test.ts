import { describe, expect, it } from 'vitest';
import { decodeUserAudio, encodeAgentAudio } from './audio-format';
import { parseClientMessage } from './parse-client-message';
import { ProtocolMessageError } from './protocol-message-error';

const ok = (data: string) => {
  const result = parseClientMessage(data);
  if (!result.ok) throw result.error;
  return result.message;
};
const errorType = (data: string | Uint8Array, limits = {}) => {
  const result = parseClientMessage(data, limits);
  return result.ok ? 'ok' : result.error.errorType;
};

describe('parseClientMessage', () => {
  it('reads every client message of the protocol, in both field spellings', () => {
    expect(ok('{"user_audio_chunk":"AAA="}')).toEqual({ type: 'user_audio_chunk', audioBase64: 'AAA=' });
    expect(ok('{"userAudioChunk":"AAA="}')).toEqual({ type: 'user_audio_chunk', audioBase64: 'AAA=' });
    expect(ok('{"type":"pong","event_id":7}')).toEqual({ type: 'pong', eventId: 7 });
    expect(ok('{"type":"pong","eventId":7}')).toEqual({ type: 'pong', eventId: 7 });
    expect(ok('{"type":"user_message","text":"Hi"}')).toEqual({ type: 'user_message', text: 'Hi' });
    expect(ok('{"type":"contextual_update","text":"on pricing"}')).toEqual({
      type: 'contextual_update',
      text: 'on pricing',
    });
    expect(ok('{"type":"user_activity"}')).toEqual({ type: 'user_activity' });
    expect(ok('{"type":"client_tool_result","tool_call_id":"tc_1","result":"42","is_error":false}')).toEqual({
      type: 'client_tool_result',
      toolCallId: 'tc_1',
      result: '42',
      isError: false,
    });
    expect(ok('{"type":"client_tool_result","toolCallId":"tc_1","result":{"a":1},"isError":true}')).toEqual({
      type: 'client_tool_result',
      toolCallId: 'tc_1',
      result: '{"a":1}',
      isError: true,
    });
    expect(ok('{"type":"feedback","score":"like","event_id":3}')).toEqual({
      type: 'feedback',
      score: 'like',
      eventId: 3,
    });
  });

  it('reads the initiation data the official client sends', () => {
    const message = ok(
      JSON.stringify({
        type: 'conversation_initiation_client_data',
        conversation_config_override: {
          agent: { prompt: { prompt: 'Be brief.' }, first_message: 'Hello!', language: 'en' },
          tts: { voice_id: 'ada', speed: 1.1, stability: undefined },
          conversation: { text_only: true },
        },
        custom_llm_extra_body: { temperature: 0.2 },
        dynamic_variables: { user_name: 'Ada', vip: true, visits: 3 },
        user_id: 'u-1',
        source_info: { source: 'js_sdk', version: '1.0.0' },
      }),
    );
    expect(message).toEqual({
      type: 'conversation_initiation_client_data',
      overrides: {
        prompt: 'Be brief.',
        firstMessage: 'Hello!',
        language: 'en',
        voiceId: 'ada',
        speed: 1.1,
        textOnly: true,
      },
      dynamicVariables: { user_name: 'Ada', vip: true, visits: 3 },
      customLlmExtraBody: { temperature: 0.2 },
      userId: 'u-1',
    });
    expect(ok('{"type":"conversation_initiation_client_data"}')).toEqual({
      type: 'conversation_initiation_client_data',
      overrides: {},
      dynamicVariables: {},
    });
  });

  it('refuses bad input with the right error type and a helpful message', () => {
    expect(errorType('{')).toBe('invalid_json');
    expect(errorType('[1,2]')).toBe('invalid_json');
    expect(errorType('"text"')).toBe('invalid_json');
    expect(errorType('{}')).toBe('invalid_message');
    expect(errorType('{"type":5}')).toBe('invalid_message');
    expect(errorType('{"type":"nope"}')).toBe('unknown_message_type');
    expect(errorType('{"user_audio_chunk":5}')).toBe('invalid_message');
    expect(errorType('{"type":"pong","event_id":"x"}')).toBe('invalid_message');
    expect(errorType('{"type":"pong","event_id":1.5}')).toBe('invalid_message');
    expect(errorType('{"type":"user_message"}')).toBe('invalid_message');
    expect(errorType('{"type":"client_tool_result","tool_call_id":"a","is_error":"yes"}')).toBe(
      'invalid_message',
    );
    expect(errorType('{"type":"feedback","score":"meh","event_id":1}')).toBe('invalid_message');
    expect(errorType('{"type":"conversation_initiation_client_data","dynamic_variables":{"a":{}}}')).toBe(
      'invalid_message',
    );
    expect(
      errorType(
        '{"type":"conversation_initiation_client_data","conversation_config_override":{"tts":{"speed":-1}}}',
      ),
    ).toBe('invalid_message');
    expect(errorType(`{"type":"user_message","text":"${'x'.repeat(100)}"}`, { maxTextLength: 10 })).toBe(
      'message_too_large',
    );
    expect(errorType(`{"user_audio_chunk":"${'A'.repeat(100)}"}`, { maxAudioBase64Length: 40 })).toBe(
      'message_too_large',
    );
    expect(errorType(new TextEncoder().encode('{"type":"user_activity"}'))).toBe('ok');
    const result = parseClientMessage('{"type":"nope"}');
    expect(!result.ok && ProtocolMessageError.isInstance(result.error)).toBe(true);
  });
});

describe('audio formats', () => {
  it('round-trips PCM16 and μ-law, and refuses bad base64 and odd PCM byte counts', () => {
    const samples = new Int16Array([0, 1000, -1000, 32767, -32768]);
    expect([...decodeUserAudio(encodeAgentAudio(samples, 'pcm_16000'), 'pcm_16000')]).toEqual([...samples]);
    const mulaw = decodeUserAudio(encodeAgentAudio(samples, 'ulaw_8000'), 'ulaw_8000');
    expect(mulaw.length).toBe(samples.length);
    expect(Math.abs(mulaw[1]! - 1000)).toBeLessThan(40);
    expect(() => decodeUserAudio('@@@', 'pcm_16000')).toThrow(ProtocolMessageError);
    expect(() => decodeUserAudio(Buffer.from([1, 2, 3]).toString('base64'), 'pcm_16000')).toThrow(
      /even count/,
    );
    expect(decodeUserAudio(Buffer.from([1, 2, 3]).toString('base64'), 'ulaw_8000').length).toBe(3);
  });
});
