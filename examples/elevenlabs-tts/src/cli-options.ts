import { parseArgs } from 'node:util';
import { type SampleRate, SUPPORTED_SAMPLE_RATES } from '@argentum/core';
import { ELEVENLABS_OUTPUT_FORMATS, type ElevenLabsOutputFormat } from '@argentum/elevenlabs';

export const USAGE = `Usage: pnpm start [--offline] [--out out/speech.wav] [--voice ID] [--model ID] [--format pcm_24000] [--rate 16000] "text to speak"
       (or pipe the text on stdin)
  --offline  the bundled test server instead of api.elevenlabs.io (no key, no network)
  --out      the WAV file to write (default out/speech.wav; folders are created)
  --voice    ElevenLabs voice id
  --model    ElevenLabs model id (default eleven_flash_v2_5)
  --format   wire format: ${ELEVENLABS_OUTPUT_FORMATS.join(', ')}
  --rate     WAV sample rate, resampled from the wire rate: ${SUPPORTED_SAMPLE_RATES.join(', ')}
`;

/** A mistake on the command line: the CLI prints the message (one line) and exits with code 2. */
export class UsageError extends Error {
  /** @param message - what was wrong and what is accepted. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The parsed command line. */
export interface CliOptions {
  /** `--help` was given. */
  help: boolean;
  /** Use the bundled test server. */
  offline: boolean;
  /** The WAV file to write. */
  outPath: string;
  /** ElevenLabs voice id. */
  voice?: string;
  /** ElevenLabs model id. */
  modelId?: string;
  /** Wire format. */
  outputFormat?: ElevenLabsOutputFormat;
  /** WAV sample rate. */
  sampleRate?: SampleRate;
  /** The text given as arguments, joined; undefined when none was given. */
  text?: string;
}

/**
 * Parses and checks the flags (a leading `--`, as `pnpm start -- …` passes it, is dropped).
 * @throws {@link UsageError} for an unknown flag, a missing value, a format or rate that is not supported.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv.filter((arg, index) => !(index === 0 && arg === '--')));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (pnpm start --help lists the flags)`);
  }
  const { values, positionals } = parsed;
  const options: CliOptions = {
    help: values.help,
    offline: values.offline,
    outPath: values.out,
    voice: values.voice,
    modelId: values.model,
    text: positionals.length > 0 ? positionals.join(' ') : undefined,
  };
  if (values.out.trim() === '') throw new UsageError('--out expects a file name, e.g. --out out/speech.wav');
  if (values.format !== undefined) {
    if (!(ELEVENLABS_OUTPUT_FORMATS as readonly string[]).includes(values.format)) {
      throw new UsageError(
        `--format "${values.format}" is not supported: use one of ${ELEVENLABS_OUTPUT_FORMATS.join(', ')}`,
      );
    }
    options.outputFormat = values.format as ElevenLabsOutputFormat;
  }
  if (values.rate !== undefined) {
    const rate = Number(values.rate);
    if (!(SUPPORTED_SAMPLE_RATES as readonly number[]).includes(rate)) {
      throw new UsageError(
        `--rate "${values.rate}" is not a supported sample rate: use one of ${SUPPORTED_SAMPLE_RATES.join(', ')} (Hz)`,
      );
    }
    options.sampleRate = rate as SampleRate;
  }
  return options;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      offline: { type: 'boolean', default: false },
      out: { type: 'string', default: 'out/speech.wav' },
      voice: { type: 'string' },
      model: { type: 'string' },
      format: { type: 'string' },
      rate: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
}
