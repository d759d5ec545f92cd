import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker-thread code is an entry of its own: threads load it by file, always as the
  // ES module (thread-entry.js); the CommonJS copy tsup also emits goes unused.
  entry: {
    index: 'src/index.ts',
    prometheus: 'src/adapters/prometheus/index.ts',
    'thread-entry': 'src/threads/thread-entry.ts',
    'cli/main': 'src/cli/main.ts',
    sqlite: 'src/store/sqlite/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    entry: {
      index: 'src/index.ts',
      prometheus: 'src/adapters/prometheus/index.ts',
      sqlite: 'src/store/sqlite/index.ts',
    },
  },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  // Gives the CommonJS build an import.meta.url, by which it finds the thread entry.
  shims: true,
});
