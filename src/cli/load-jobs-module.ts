import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlainObject, shown } from '../config/checks.js';
import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import type { JobConfig } from '../job/job-config.js';
import type { PoolConfig } from '../pool/pool-config.js';

/** What a jobs module gives `orbit run`. */
export interface JobsModule {
  readonly pool: PoolConfig | undefined;
  readonly jobs: readonly JobConfig[];
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** What a jobs module must export, for messages. */
const EXPECTED =
  'an array of jobs or { pool, jobs } as its default export, or named exports jobs ' +
  '(an array) and, if it likes, pool';

/**
 * Loads a jobs module: its default export is an array of jobs, or `{ pool?, jobs }`;
 * without a default export, its named exports `jobs` and `pool` say the same. TypeScript
 * modules are loaded through tsx, which must then be installed.
 *
 * @throws OrbitError `MODULE_LOAD_FAILED` when the file is missing or fails to load,
 * `INVALID_CONFIG` when its exports have the wrong shape or hold no job.
 */
export async function loadJobsModule(path: string, cwd = process.cwd()): Promise<JobsModule> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      `jobs module '${path}' not found (looked at ${file})`,
    );
  }

  const exports = await importModule(file, path);
  return readJobsExport(unwrapDefault(exports), path);
}

async function importModule(file: string, path: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  const importer = TYPESCRIPT.has(extname(file)) ? await typescriptImporter(path) : plainImport;
  try {
    return await importer(url);
  } catch (error) {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      `jobs module '${path}' failed to load: ${describeThrown(error)}`,
      { cause: error },
    );
  }
}

function plainImport(url: string): Promise<unknown> {
  return import(url) as Promise<unknown>;
}

type Importer = (url: string) => Promise<unknown>;

async function typescriptImporter(path: string): Promise<Importer> {
  // A name the bundler leaves alone: tsx is an optional peer, needed for .ts modules only.
  const tsxApi = 'tsx/esm/api';
  try {
    const { tsImport } = (await import(tsxApi)) as {
      tsImport: (url: string, from: string) => Promise<unknown>;
    };
    return (url) => tsImport(url, url);
  } catch (error) {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      `jobs module '${path}' is TypeScript, and loading it needs tsx: run 'npm install tsx', ` +
        `or compile the module to JavaScript (${describeThrown(error)})`,
      { cause: error },
    );
  }
}

/** The module's default export, seen through one layer of CommonJS interop. */
function unwrapDefault(exports: unknown): unknown {
  let value = isPlainObject(exports) && 'default' in exports ? exports.default : exports;
  if (isPlainObject(value) && 'default' in value && !('jobs' in value)) value = value.default;
  return value;
}

function readJobsExport(value: unknown, path: string): JobsModule {
  const found = jobsOf(value, path);
  if (found.jobs.length === 0) {
    throw badShape(path, 'the module exports no jobs: its jobs array is empty');
  }
  return found;
}

function jobsOf(value: unknown, path: string): JobsModule {
  if (Array.isArray(value)) return { pool: undefined, jobs: value as JobConfig[] };
  if (isPlainObject(value) && Array.isArray(value.jobs)) {
    const pool = value.pool;
    if (pool !== undefined && !isPlainObject(pool)) {
      throw badShape(path, `its pool must be a pool config object; got ${shown(pool)}`);
    }
    return { pool: pool, jobs: value.jobs as JobConfig[] };
  }
  if (Object.prototype.toString.call(value) === '[object Module]') {
    const names = Object.keys(value as object);
    const exported = names.length === 0 ? 'nothing' : `only ${names.join(', ')}`;
    throw badShape(path, `it has no default export and exports ${exported}`);
  }
  throw badShape(path, `got ${shown(value)}`);
}

function badShape(path: string, detail: string): OrbitError {
  return new OrbitError(
    'INVALID_CONFIG',
    `jobs module '${path}' must export ${EXPECTED}; ${detail}`,
  );
}
