/**
 * elevenlabs-tts: speak a text with ElevenLabs into a WAV file and print when each word is spoken.
 *
 *   pnpm start "Hello there."                 # ELEVENLABS_API_KEY from .env or the environment
 *   pnpm start --offline "Hi there."          # the bundled test server, no network
 */
import { existsSync } from 'node:fs';
import { ArgentumError } from '@argentum/core';
import { parseCli, USAGE, UsageError } from './cli-options';
import { speak } from './speak';

/** Reads stdin as a stream of pieces, so long input starts speaking before it is all read. */
async function* stdinPieces(): AsyncIterable<string> {
  process.stdin.setEncoding('utf8');
  for await (const piece of process.stdin) yield piece as string;
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCli(argv);
  if (cli.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const text = cli.text ?? (process.stdin.isTTY ? undefined : stdinPieces());
  if (text === undefined) throw new UsageError('no text: pass it as an argument, or pipe it on stdin.');
  if (existsSync('.env')) process.loadEnvFile('.env');
  if (!cli.offline && !process.env.ELEVENLABS_API_KEY) {
    throw new UsageError(
      'ELEVENLABS_API_KEY is not set: copy .env.example to .env and put your key in it, or run with --offline to use the bundled test server.',
    );
  }
  const result = await speak({
    text,
    outPath: cli.outPath,
    offline: cli.offline,
    voice: cli.voice,
    modelId: cli.modelId,
    outputFormat: cli.outputFormat,
    sampleRate: cli.sampleRate,
    onWord: (word) =>
      console.log(
        `${(word.offsetMs / 1000).toFixed(3).padStart(8)} s  +${String(Math.round(word.durationMs)).padStart(4)} ms  ${word.text}`,
      ),
  });
  console.log(
    `\nwrote ${cli.outPath}: ${(result.durationMs / 1000).toFixed(2)} s at ${result.sampleRate} Hz, ${result.words.length} words, ${result.sentences.length} sentences${cli.offline ? ' (offline test server: a buzz, 60 ms per character)' : ''}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // A mistake in the flags or the environment: say what, no stack trace.
      console.error(`error: ${error.message}`);
      process.exitCode = 2;
    } else if (ArgentumError.isInstance(error)) {
      // A typed SDK error (a bad option, the provider refusing the key, the network): its message says what to do.
      console.error(`error: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    }
  },
);
