// The Node flags `argentum-server` starts the server with, shared with the capacity benchmark.

/**
 * The garbage-collector settings for real-time load: a 4 MB semi-space (minor collections with a p99
 * of 3 ms instead of 3–5 ms at 1000 conversations) and an initial old-generation size of 256 MB, below
 * which V8 skips full collections (3 in 120 s at 1000 instead of 5–13). Measured in
 * `bench/capacity.ts`; see docs/guides/voice-agent-server.md, "Capacity".
 */
export const DEFAULT_NODE_FLAGS = '--max-semi-space-size=4 --initial-old-space-size=256';

const words = (text) => text.split(/\s+/).filter((word) => word.length > 0);
/** `--max_semi_space_size=8` → `--max-semi-space-size` (V8 accepts both spellings). */
const flagName = (flag) => flag.split('=')[0].replaceAll('_', '-');

/**
 * The flags of `wanted` (default: `ARGENTUM_NODE_FLAGS`, else {@link DEFAULT_NODE_FLAGS}) that this
 * Node was not already given, on its command line or in `NODE_OPTIONS`.
 * @param {string} [wanted]
 * @returns {string[]}
 */
export function nodeFlagsToAdd(wanted = process.env.ARGENTUM_NODE_FLAGS ?? DEFAULT_NODE_FLAGS) {
  const given = new Set([...process.execArgv, ...words(process.env.NODE_OPTIONS ?? '')].map(flagName));
  return words(wanted).filter((flag) => !given.has(flagName(flag)));
}
