import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.cts']);

let cachedLoaderUrl: string | null | undefined;

/** Whether a file of this extension is TypeScript, which a worker thread cannot load alone. */
export function isTypeScriptExtension(extension: string): boolean {
  return TYPESCRIPT_EXTENSIONS.has(extension);
}

/**
 * The `file:` URL of tsx's register API, looked up next to Orbit and then in the working
 * directory, or `undefined` when tsx is not installed. Node 20 does not pass `--import`
 * loaders on to worker threads, so a thread that must load TypeScript registers tsx itself.
 */
export function findTypeScriptLoader(): string | undefined {
  if (cachedLoaderUrl === undefined) cachedLoaderUrl = lookUpLoader() ?? null;
  return cachedLoaderUrl ?? undefined;
}

function lookUpLoader(): string | undefined {
  const bases = [import.meta.url, pathToFileURL(join(process.cwd(), 'package.json')).href];
  for (const base of bases) {
    try {
      return esmApiOf(createRequire(base).resolve('tsx/package.json'));
    } catch {
      // Not installed where this base looks; try the next one.
    }
  }
  return undefined;
}

/**
 * The ES module build of tsx's register API, read from its exports map: the CommonJS
 * build loads its ES half by a path that does not resolve inside a worker thread.
 */
function esmApiOf(manifestPath: string): string | undefined {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | undefined>;
  };
  const relativePath = manifest.exports?.['./esm/api']?.import?.default;
  if (relativePath === undefined) return undefined;
  return pathToFileURL(join(dirname(manifestPath), relativePath)).href;
}
