import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.cts']);

let cachedLoaderUrls: readonly string[] | null | undefined;

/** Whether a file of this extension is TypeScript, which a worker thread cannot load alone. */
export function isTypeScriptExtension(extension: string): boolean {
  return TYPESCRIPT_EXTENSIONS.has(extension);
}

/**
 * The `file:` URLs of tsx's two register APIs (CommonJS, then ES modules), looked up next
 * to Orbit and then in the working directory; `undefined` when tsx is not installed. Node
 * 20 passes no `--import` loader on to worker threads, so a thread that must load
 * TypeScript registers tsx itself. Both halves are needed: a `.ts` file in a package
 * without `"type": "module"` loads as CommonJS.
 */
export function findTypeScriptLoader(): readonly string[] | undefined {
  if (cachedLoaderUrls === undefined) cachedLoaderUrls = lookUpLoader() ?? null;
  return cachedLoaderUrls ?? undefined;
}

function lookUpLoader(): readonly string[] | undefined {
  const bases = [import.meta.url, pathToFileURL(join(process.cwd(), 'package.json')).href];
  for (const base of bases) {
    try {
      return registerApisOf(createRequire(base).resolve('tsx/package.json'));
    } catch {
      // Not installed where this base looks; try the next one.
    }
  }
  return undefined;
}

interface ExportTarget {
  import?: { default?: string };
  require?: { default?: string };
}

/**
 * The register APIs named in tsx's exports map. The ES half is taken in its ES module
 * build: the CommonJS build of it loads its other half by a path that does not resolve
 * inside a worker thread.
 */
function registerApisOf(manifestPath: string): readonly string[] | undefined {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: Record<string, ExportTarget | undefined>;
  };
  const cjsApi = manifest.exports?.['./cjs/api']?.require?.default;
  const esmApi = manifest.exports?.['./esm/api']?.import?.default;
  if (cjsApi === undefined || esmApi === undefined) return undefined;

  const toUrl = (relativePath: string): string =>
    pathToFileURL(join(dirname(manifestPath), relativePath)).href;
  return [toUrl(cjsApi), toUrl(esmApi)];
}
