/**
 * Faults and timing applied while the test server streams a response. Chunk counts refer to
 * the response's chunks: SSE events (`data:` lines) for chat and streamed transcriptions, PCM
 * chunks for speech.
 *
 * @example
 * ```ts
 * server.setScript({ chat: { text: 'Hello there', faults: { firstChunkDelayMs: 300, disconnectAfterChunks: 2 } } });
 * ```
 */
export interface StreamFaults {
  /** Wait before sending the status line and headers, in ms. */
  responseDelayMs?: number;
  /** Wait after the headers, before the first chunk, in ms. */
  firstChunkDelayMs?: number;
  /** Wait between two chunks, in ms. */
  chunkDelayMs?: number;
  /** End the response cleanly (no `[DONE]`, no further chunks) after this many chunks. */
  endAfterChunks?: number;
  /** Destroy the socket (no clean end) after sending this many chunks. */
  disconnectAfterChunks?: number;
  /** SSE only: send a `data:` line with malformed JSON after this many chunks, then end. */
  malformedJsonAfterChunks?: number;
  /** SSE only: send `data: {"error": …}` after this many chunks, then end. */
  errorAfterChunks?: number;
  /** The error payload sent by `errorAfterChunks`; defaults to a `server_error`. */
  errorPayload?: ScriptedErrorBody;
}

/**
 * The `error` object of an OpenAI error body.
 *
 * @example
 * ```ts
 * const body: ScriptedErrorBody = { message: 'Quota exceeded.', type: 'insufficient_quota', code: 'insufficient_quota' };
 * ```
 */
export interface ScriptedErrorBody {
  /** Human-readable message. */
  message: string;
  /** Error type, e.g. `invalid_request_error`, `server_error`, `rate_limit_exceeded`. */
  type?: string;
  /** Machine code, e.g. `invalid_api_key`, `insufficient_quota`. */
  code?: string | null;
  /** The offending parameter, when there is one. */
  param?: string | null;
}

/**
 * Answer a request with an HTTP error status and an OpenAI error body.
 *
 * @example
 * ```ts
 * server.setScript({ speech: [{ type: 'http-error', status: 429, retryAfterSeconds: 1 }, { durationMs: 500 }] });
 * ```
 */
export interface HttpErrorScript {
  /** Discriminator. */
  type: 'http-error';
  /** HTTP status, e.g. 429, 500, 400. */
  status: number;
  /** `retry-after` header value, in seconds. */
  retryAfterSeconds?: number;
  /** `retry-after-ms` header value, in ms. */
  retryAfterMs?: number;
  /** The error body; defaults to one matching the status. */
  error?: ScriptedErrorBody;
  /** Wait before answering, in ms. */
  responseDelayMs?: number;
}

/**
 * A scripted tool call in a streamed chat completion.
 *
 * @example
 * ```ts
 * server.setScript({ chat: { toolCalls: [{ name: 'weather', argumentsJson: '{"city":"Oslo"}' }] } });
 * ```
 */
export interface ScriptedToolCall {
  /** The call id; defaults to `call_<n>`. */
  id?: string;
  /** The function name. */
  name: string;
  /** The arguments JSON text, streamed in fragments. */
  argumentsJson: string;
  /** In how many fragments the arguments are streamed; default 3. */
  fragments?: number;
}

/**
 * A scripted chat completion.
 *
 * @example
 * ```ts
 * const reply: ChatCompletionScript = { text: ['Hel', 'lo!'], finishReason: 'stop', usage: { promptTokens: 9, completionTokens: 2 } };
 * ```
 */
export interface ChatCompletionScript {
  /** Discriminator (optional: a plain object is a completion). */
  type?: 'completion';
  /**
   * The assistant's text: a string (streamed word by word) or the exact deltas to stream.
   * Defaults to a fixed sentence.
   */
  text?: string | readonly string[];
  /** Tool calls to stream after the text. */
  toolCalls?: readonly ScriptedToolCall[];
  /** The finish reason; defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /**
   * Token usage reported when the request asked for it (`stream_options.include_usage`); defaults
   * to an estimate (characters / 4 for the prompt, one token per delta).
   */
  usage?: { promptTokens: number; completionTokens: number };
  /** Timing and faults. */
  faults?: StreamFaults;
}

/**
 * What the chat endpoint answers: text (shorthand), a completion, or an HTTP error.
 *
 * @example
 * ```ts
 * const answers: ChatScript[] = ['Hi!', { text: 'Slow hi', faults: { chunkDelayMs: 50 } }, { type: 'http-error', status: 500 }];
 * ```
 */
export type ChatScript = string | ChatCompletionScript | HttpErrorScript;

/**
 * A scripted speech response (raw 24 kHz PCM16 LE mono, streamed in chunks).
 *
 * @example
 * ```ts
 * server.setScript({ speech: { durationMs: 1500, waveform: 'sweep', chunkBytes: 2048 } });
 * ```
 */
export interface SpeechScript {
  /** Discriminator (optional: a plain object is speech). */
  type?: 'speech';
  /** Exact audio to send (24 kHz mono); overrides `durationMs` and `waveform`. */
  audio?: Int16Array;
  /**
   * Length of the generated audio, in ms; defaults to 70 ms per input character divided by the
   * requested `speed`.
   */
  durationMs?: number;
  /** The generated signal: a 440 Hz tone (default) or a 200→2000 Hz sweep. */
  waveform?: 'tone' | 'sweep';
  /** Bytes per chunk; default 4096 (not a multiple of a 20 ms frame, to exercise framing). */
  chunkBytes?: number;
  /** Timing and faults. */
  faults?: StreamFaults;
}

/**
 * A scripted transcription.
 *
 * @example
 * ```ts
 * server.setScript({ transcription: { text: 'Good morning.', deltas: ['Good', ' morning.'] } });
 * ```
 */
export interface TranscriptionScript {
  /** Discriminator (optional: a plain object is a transcription). */
  type?: 'transcription';
  /** The final transcript. */
  text: string;
  /** The deltas of a streamed transcription; defaults to the text split word by word. */
  deltas?: readonly string[];
  /** Timing and faults (streamed transcriptions; `responseDelayMs` applies to both forms). */
  faults?: StreamFaults;
}

/**
 * What the transcription endpoint answers: text (shorthand), a transcription, or an HTTP error.
 *
 * @example
 * ```ts
 * const answer: TranscriptionResponseScript = 'Turn the lights on.';
 * ```
 */
export type TranscriptionResponseScript = string | TranscriptionScript | HttpErrorScript;

/**
 * What the speech endpoint answers: audio or an HTTP error.
 *
 * @example
 * ```ts
 * const answer: SpeechResponseScript = { audio: generateTestAudio({ durationMs: 300 }) };
 * ```
 */
export type SpeechResponseScript = SpeechScript | HttpErrorScript;

/**
 * A request the test server received, parsed.
 *
 * @example
 * ```ts
 * const [first] = server.requests;
 * expect(first?.endpoint).toBe('chat');
 * expect(first?.body?.model).toBe('gpt-4o-mini');
 * ```
 */
export interface RecordedRequest {
  /** Which endpoint it hit. */
  endpoint: 'chat' | 'speech' | 'transcription' | 'unknown';
  /** Position among the requests to the same endpoint, from 0. */
  index: number;
  /** HTTP method. */
  method: string;
  /** Request path, e.g. `/v1/chat/completions`. */
  path: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** The JSON body (chat, speech), or `undefined`. */
  body: Record<string, unknown> | undefined;
  /** The multipart text fields (transcription), e.g. `model`, `stream`, `language`. */
  fields: Record<string, string>;
  /** The uploaded file (transcription). */
  file: { filename: string; contentType: string; bytes: Uint8Array } | undefined;
  /**
   * How the response went, updated as it progresses: `pending` while it streams, `completed`
   * once fully sent, `client-closed` when the client closed the connection first (an aborted
   * request), `server-disconnected` when a scripted fault dropped it.
   */
  outcome: 'pending' | 'completed' | 'client-closed' | 'server-disconnected';
}

/**
 * One endpoint's script: a fixed answer for every request, a list answered in order (the last
 * entry repeats; counted from when the script was set), or a function of the request (a
 * matcher).
 *
 * @example
 * ```ts
 * const chat: EndpointScript<ChatScript> = (request) =>
 *   JSON.stringify(request.body?.messages).includes('weather') ? 'Sunny.' : 'Ask me about the weather.';
 * ```
 */
export type EndpointScript<T> = T | readonly T[] | ((request: RecordedRequest) => T);

/**
 * What the test server answers on each endpoint.
 *
 * @example
 * ```ts
 * const script: OpenAITestServerScript = { chat: 'Hi!', speech: { durationMs: 800 }, transcription: 'Hello.' };
 * ```
 */
export interface OpenAITestServerScript {
  /** `POST /v1/chat/completions`. */
  chat?: EndpointScript<ChatScript>;
  /** `POST /v1/audio/speech`. */
  speech?: EndpointScript<SpeechResponseScript>;
  /** `POST /v1/audio/transcriptions`. */
  transcription?: EndpointScript<TranscriptionResponseScript>;
}
