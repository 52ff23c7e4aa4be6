import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  splitting: true,
  // mespeak is GPL and loaded at run time from its own package (config and voice JSON included).
  external: ['mespeak'],
});
