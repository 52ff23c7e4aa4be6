import type { SampleRate, TextInput, TtsEvent, TtsRequest } from '@argentum/core';
import { Observable, type Subscriber, type Subscription, type TeardownLogic } from 'rxjs';
import { webSocketUrl } from './elevenlabs-tts-api';
import type {
  ElevenLabsSpeechOptions,
  ElevenLabsWebSocketSpeechOptions,
  ParsedOutputFormat,
} from './elevenlabs-tts-options';
import { type ElevenLabsModelConfig, loadApiKey } from './resolve-speech-options';
import { TextChunker } from './text-chunker';
import { textInputToObservable } from './text-input';
import { UtteranceAssembler } from './utterance-assembler';

/**
 * The cold event stream of one `synthesize()` call: each subscription reads the API key first and
 * errors with an `AuthenticationError` when there is none; otherwise `subscribe` runs with the key.
 * @internal
 */
export function withApiKey(
  config: ElevenLabsModelConfig,
  subscribe: (subscriber: Subscriber<TtsEvent>, apiKey: string) => TeardownLogic,
): Observable<TtsEvent> {
  return new Observable<TtsEvent>((subscriber) => {
    const apiKey = loadApiKey(config);
    if (typeof apiKey !== 'string') {
      subscriber.error(apiKey);
      return;
    }
    return subscribe(subscriber, apiKey);
  });
}

/**
 * The WebSocket URL of one request: the model's options with the default output format, and the
 * request's language, else the model's.
 * @internal
 */
export function requestWebSocketUrl(
  config: ElevenLabsModelConfig,
  path: 'stream-input' | 'multi-stream-input',
  voice: string,
  modelId: string,
  options: ElevenLabsWebSocketSpeechOptions,
  request: TtsRequest,
): string {
  return webSocketUrl(
    config.webSocketBaseUrl,
    path,
    voice,
    modelId,
    { ...options, outputFormat: options.outputFormat ?? 'pcm_24000' },
    request.language ?? options.languageCode,
  );
}

/**
 * The assembler of one utterance, with the model's frame duration; the sent text completes words
 * early only with the original alignment (the WebSocket models; HTTP passes `false`).
 * @internal
 */
export function createUtteranceAssembler(
  options: ElevenLabsSpeechOptions,
  format: ParsedOutputFormat,
  outputSampleRate: SampleRate,
  useTextHint = (options.alignment ?? 'original') === 'original',
): UtteranceAssembler {
  return new UtteranceAssembler({
    format,
    outputSampleRate,
    frameDurationMs: options.frameDurationMs ?? 20,
    useTextHint,
  });
}

/**
 * Emits the utterance's `end` event and completes.
 * @internal
 */
export function completeUtterance(subscriber: Subscriber<TtsEvent>, durationMs: number, at: number): void {
  subscriber.next({ type: 'end', durationMs, at });
  subscriber.complete();
}

/**
 * Streams a request's text to a WebSocket model: the deltas are re-cut at sentence and clause
 * boundaries ({@link TextChunker}), each piece is recorded on the assembler and passed to `send`
 * (`flush: true` on the last piece, and on sentence ends with `flushAtSentenceEnd`). At the end of
 * the input `complete` learns whether any text was sent.
 * @internal
 */
export function sendTextInput(
  text: TextInput,
  options: ElevenLabsWebSocketSpeechOptions,
  assembler: UtteranceAssembler,
  send: (message: Record<string, unknown>) => void,
  handlers: { error: (error: unknown) => void; complete: (anyText: boolean) => void },
): Subscription {
  const chunker = new TextChunker();
  const flushAtSentenceEnd = options.flushAtSentenceEnd ?? false;
  let anyText = false;
  const sendPiece = (piece: string, flush: boolean): void => {
    anyText = true;
    assembler.addSentText(piece);
    send(flush ? { text: piece, flush: true } : { text: piece });
  };
  return textInputToObservable(text).subscribe({
    next: (delta) => {
      for (const piece of chunker.push(delta)) sendPiece(piece.text, flushAtSentenceEnd && piece.sentenceEnd);
    },
    error: (error: unknown) => handlers.error(error),
    complete: () => {
      for (const piece of chunker.finish()) sendPiece(piece.text, true);
      handlers.complete(anyText);
    },
  });
}
