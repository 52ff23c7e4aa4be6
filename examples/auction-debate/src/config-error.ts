/**
 * A mistake in the debate's configuration — the manifest file or a command-line flag. The CLI
 * prints `message` (which names the file or flag, the field and what is accepted) and exits with
 * code 2, without a stack trace.
 */
export class ConfigError extends Error {
  /** Where the value came from: the manifest's path, or `command line`. */
  readonly source: string;
  /** The offending field, as a path: `agents[2].persona.stance`, or a flag: `--minutes`. */
  readonly field: string;

  /**
   * @param source - the manifest's path, or `command line`.
   * @param field - the offending field or flag.
   * @param problem - what was wrong and what is accepted.
   */
  constructor(source: string, field: string, problem: string) {
    super(field === '' ? `${source}: ${problem}` : `${source}: ${field}: ${problem}`);
    this.name = 'ConfigError';
    this.source = source;
    this.field = field;
  }
}
