import type { OpenAITestServerScript } from '@argentum/openai/testing';

const ANSWER =
  'Taking turns lets each person finish a thought. It also keeps the gaps short, about two hundred milliseconds.';

/**
 * What the local test server answers in `--offline` mode. The "speech" is a generated sweep the
 * server cannot understand, so the transcript is scripted too: the whole answer, as a perfect STT
 * would hear it.
 */
export const OFFLINE_SCRIPT: OpenAITestServerScript = {
  chat: ANSWER,
  speech: { waveform: 'sweep', faults: { chunkDelayMs: 5 } },
  transcription: ANSWER,
};
