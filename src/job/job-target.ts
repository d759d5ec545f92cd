import { statSync } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { invalidConfig, isPlainObject, refuseUnknownKeys, shown } from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';
import { findTypeScriptLoader, isTypeScriptExtension } from '../threads/typescript-loader.js';
import { parseDuration } from '../time/duration.js';
import type { JobConfig, JobFn } from './job-config.js';

/** A job whose function is a module's export, run in a worker thread. */
export interface ThreadTarget {
  /** The module, as a `file:` URL. */
  readonly moduleUrl: string;
  readonly exportName: string;
  /** Grace between the signal aborting and the thread being terminated. */
  readonly killAfterMs: number;
  readonly resourceLimits: Readonly<ResourceLimits> | undefined;
  /** Jobs whose limits give the same key can share threads. */
  readonly limitsKey: string;
  /** tsx's register APIs when the module is TypeScript. */
  readonly loaderUrls: readonly string[] | undefined;
}

/**
 * What a job runs: its `fn`, on the pool's own thread, or a module in a worker thread.
 * An inline job keeps its function as it is, so registering one allocates nothing more.
 */
export type JobTarget = JobFn | ThreadTarget;

/** Whether `target` runs in a worker thread. */
export function isThreadTarget(target: JobTarget): target is ThreadTarget {
  return typeof target !== 'function';
}

/** Grace before a worker thread that ignores its aborted signal is terminated. */
export const DEFAULT_KILL_AFTER_MS = 2_000;

const THREAD_ONLY_OPTIONS = ['export', 'killAfter', 'resourceLimits'] as const;
const MODULE_EXTENSIONS: ReadonlySet<string> = new Set(['.js', '.mjs', '.cjs']);
const LIMIT_KEYS = [
  'maxOldGenerationSizeMb',
  'maxYoungGenerationSizeMb',
  'codeRangeSizeMb',
  'stackSizeMb',
] as const;
const LIMIT_KEY_SET: ReadonlySet<string> = new Set(LIMIT_KEYS);

/**
 * Resolves what a job runs: `fn` on the pool's thread, or the module named by `worker`
 * in a worker thread. Exactly one of the two must be set.
 *
 * @throws OrbitError `EMPTY_FUNCTION`, `INVALID_CONFIG` or `INVALID_DURATION`.
 */
export function resolveJobTarget(config: JobConfig): JobTarget {
  const hasFn = config.fn !== undefined;
  const hasWorker = config.worker !== undefined;
  if (hasFn && hasWorker) {
    throw new OrbitError('INVALID_CONFIG', 'set either fn or worker, not both');
  }
  if (hasWorker) return resolveThreadTarget(config);

  if (typeof config.fn !== 'function') {
    const what = hasFn ? `fn must be a function; got ${shown(config.fn)}` : 'set fn or worker';
    throw new OrbitError('EMPTY_FUNCTION', what);
  }
  for (const option of THREAD_ONLY_OPTIONS) {
    if (config[option] !== undefined) {
      throw new OrbitError('INVALID_CONFIG', `${option} applies to worker jobs only`);
    }
  }
  return config.fn;
}

function resolveThreadTarget(config: JobConfig): ThreadTarget {
  const moduleUrl = resolveModuleUrl(config.worker);
  const exportName = config.export ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') {
    throw invalidConfig('export', 'the name of an export of the worker module', exportName);
  }
  const resourceLimits = resolveResourceLimits(config.resourceLimits);

  return Object.freeze({
    moduleUrl,
    exportName,
    killAfterMs:
      config.killAfter === undefined
        ? DEFAULT_KILL_AFTER_MS
        : parseDuration(config.killAfter, 'killAfter'),
    resourceLimits,
    limitsKey: LIMIT_KEYS.map((key) => resourceLimits?.[key] ?? '-').join('/'),
    loaderUrls: resolveLoader(moduleUrl),
  });
}

function resolveModuleUrl(worker: unknown): string {
  const url = toFileUrl(worker);
  const path = fileURLToPath(url);
  const extension = extname(path);
  if (!MODULE_EXTENSIONS.has(extension) && !isTypeScriptExtension(extension)) {
    throw invalidConfig('worker', 'a .js, .mjs, .cjs, .ts, .mts or .cts module', path);
  }

  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw invalidConfig('worker', 'an existing module file', path);
  return url.href;
}

function toFileUrl(worker: unknown): URL {
  const expected = 'an absolute path, a file: URL string or a URL';
  if (worker instanceof URL) {
    if (worker.protocol !== 'file:') throw invalidConfig('worker', expected, worker.href);
    return worker;
  }
  if (typeof worker !== 'string') throw invalidConfig('worker', expected, worker);
  if (worker.startsWith('file:')) return toFileUrl(new URL(worker));
  if (!isAbsolute(worker)) throw invalidConfig('worker', expected, worker);
  return pathToFileURL(worker);
}

function resolveLoader(moduleUrl: string): readonly string[] | undefined {
  if (!isTypeScriptExtension(extname(fileURLToPath(moduleUrl)))) return undefined;

  const loaderUrls = findTypeScriptLoader();
  if (loaderUrls === undefined) {
    throw invalidConfig(
      'worker',
      'a JavaScript module, or tsx installed for TypeScript',
      moduleUrl,
    );
  }
  return loaderUrls;
}

function resolveResourceLimits(limits: unknown): Readonly<ResourceLimits> | undefined {
  if (limits === undefined) return undefined;
  if (!isPlainObject(limits)) throw invalidConfig('resourceLimits', 'an object', limits);
  refuseUnknownKeys(limits, LIMIT_KEY_SET, 'resourceLimits');

  for (const key of LIMIT_KEYS) {
    const value = limits[key];
    if (value !== undefined && (typeof value !== 'number' || !(value > 0) || value === Infinity)) {
      throw invalidConfig(`resourceLimits.${key}`, 'a number of megabytes above 0', value);
    }
  }
  return Object.freeze({ ...limits });
}
