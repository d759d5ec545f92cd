import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../child.ts', import.meta.url));
const WATCHDOG = fileURLToPath(new URL('../measure/load-watchdog.ts', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../../node_modules/.cache/orbit-bench/', import.meta.url));

/**
 * Compiles the child and Orbit's sources to plain JavaScript, as the published build does.
 * Children must not run under tsx: its transform keeps function names by wrapping every
 * closure assigned to a property in a helper that defines `name` on it, which adds about
 * 250 bytes of heap to each such closure and would be charged to the scheduler under test.
 * Peer packages stay external and are loaded from node_modules as published; each adapter is
 * its own chunk, so a child loads only the library it measures. The load watchdog is a
 * second entry: a worker thread started from a file next to the child.
 */
export async function buildChild(): Promise<string> {
  await rm(OUT_DIR, { recursive: true, force: true });
  await build({
    entryPoints: { child: ENTRY, 'load-watchdog': WATCHDOG },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });

  return `${OUT_DIR}child.mjs`;
}
