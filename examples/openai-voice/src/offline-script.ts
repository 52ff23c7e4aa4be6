import type { OpenAITestServerScript } from '@argentum/openai/testing';

/** What the local test server answers in `--offline` mode. */
export const OFFLINE_SCRIPT: OpenAITestServerScript = {
  chat: 'Taking turns lets each person finish a thought. It also keeps the gaps short, about two hundred milliseconds.',
  speech: { waveform: 'sweep', faults: { chunkDelayMs: 5 } },
  transcription: 'Taking turns lets each person finish a thought.',
};
