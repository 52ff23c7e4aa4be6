/** Which providers the example runs on, and why — printed at start so nobody is surprised. */
export type RunMode =
  | { kind: 'offline'; reason: string }
  | { kind: 'openai'; reason: string }
  | { kind: 'error'; message: string };

/** Shortest accepted `ARGENTUM_SECRET`, in characters. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Decides the mode from the flags and the environment (after `.env` is loaded). Offline only when
 * asked for with `--offline`: a missing key is an error that says how to fix it, never a silent
 * switch to the scripted offline agent.
 */
export function resolveRunMode(options: {
  offline: boolean;
  env: NodeJS.ProcessEnv;
  envFileLoaded: boolean;
}): RunMode {
  if (options.offline) {
    return {
      kind: 'offline',
      reason: '--offline given: meSpeak speaks, the bundled OpenAI test server plays STT + LLM',
    };
  }
  const key = options.env.OPENAI_API_KEY?.trim();
  if (!key) {
    return {
      kind: 'error',
      message: `OPENAI_API_KEY is not set${options.envFileLoaded ? ' (not in .env either)' : ' and there is no .env here'}: copy .env.example to .env and put your key in it, or run \`pnpm start --offline\`.`,
    };
  }
  return {
    kind: 'openai',
    reason: `OPENAI_API_KEY from ${options.envFileLoaded ? '.env or the environment' : 'the environment'}`,
  };
}

/** What to say about `ARGENTUM_SECRET`: an error when it is set but too short, else a note. */
export function checkSecret(env: NodeJS.ProcessEnv): { error?: string; note: string } {
  const secret = env.ARGENTUM_SECRET;
  if (secret === undefined || secret === '') {
    return {
      note: 'ARGENTUM_SECRET is not set: using a random secret, so signed URLs stop working when the server restarts.',
    };
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return {
      error: `ARGENTUM_SECRET is ${secret.length} characters long: use ${MIN_SECRET_LENGTH} or more random characters (e.g. \`openssl rand -hex 32\`), or remove it to use a random one.`,
      note: '',
    };
  }
  return { note: 'signed URLs use ARGENTUM_SECRET, so they stay valid across restarts.' };
}
