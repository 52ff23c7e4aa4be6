import { parseArgs } from 'node:util';
import type { SampleRate } from '@argentum/core';
import type { ElevenLabsOutputFormat } from '@argentum/elevenlabs';
import { speak } from './speak';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    offline: { type: 'boolean', default: false },
    out: { type: 'string', default: 'speech.wav' },
    voice: { type: 'string' },
    model: { type: 'string' },
    format: { type: 'string' },
    rate: { type: 'string' },
  },
});

/** Reads stdin as a stream of pieces, so long input starts speaking before it is all read. */
async function* stdinPieces(): AsyncIterable<string> {
  process.stdin.setEncoding('utf8');
  for await (const piece of process.stdin) yield piece as string;
}

const text = positionals.length > 0 ? positionals.join(' ') : process.stdin.isTTY ? undefined : stdinPieces();
if (text === undefined) {
  console.error(
    'usage: pnpm start [--offline] [--out speech.wav] [--voice ID] [--rate 16000] "text to speak"  (or pipe text on stdin)',
  );
  process.exit(2);
}
if (!values.offline && !process.env.ELEVENLABS_API_KEY) {
  console.error(
    'Set ELEVENLABS_API_KEY (see .env.example), or run with --offline to use the bundled test server.',
  );
  process.exit(2);
}

const result = await speak({
  text,
  outPath: values.out,
  offline: values.offline,
  voice: values.voice,
  modelId: values.model,
  outputFormat: values.format as ElevenLabsOutputFormat | undefined,
  sampleRate: values.rate ? (Number(values.rate) as SampleRate) : undefined,
  onWord: (word) =>
    console.log(
      `${(word.offsetMs / 1000).toFixed(3).padStart(8)} s  +${String(Math.round(word.durationMs)).padStart(4)} ms  ${word.text}`,
    ),
});
console.log(
  `\nwrote ${values.out}: ${(result.durationMs / 1000).toFixed(2)} s at ${result.sampleRate} Hz, ${result.words.length} words, ${result.sentences.length} sentences${values.offline ? ' (offline test server: a buzz, 60 ms per character)' : ''}`,
);
