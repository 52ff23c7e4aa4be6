import { open } from 'node:fs/promises';
import type { WavSink } from './wav-writer';

/**
 * Opens (creating or truncating) a file as a {@link WavSink}, with positional writes so the header
 * can be patched in place. Node.js only — kept in its own module, loaded on demand by
 * `WavWriter.open`, so that the rest of the WAV code runs anywhere.
 * @internal
 */
export async function openWavFileSink(path: string): Promise<WavSink> {
  const handle = await open(path, 'w');
  return {
    async write(bytes, position) {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
        done += bytesWritten;
      }
    },
    close: () => handle.close(),
  };
}
