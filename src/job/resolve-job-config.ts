import {
  invalidConfig,
  isPlainObject,
  nonEmptyId,
  refuseUnknownKeys,
  toInstantMs,
} from '../config/checks.js';
import { compileCron } from '../cron/compile-cron.js';
import { OrbitError } from '../errors/orbit-error.js';
import type { Schedule } from '../schedule/schedule.js';
import { parsePeriod } from '../time/duration.js';
import type {
  Hook,
  HookName,
  JobConfig,
  JobHooks,
  MisfirePolicy,
  RetryConfig,
} from './job-config.js';
import { resolveJobTarget, type JobTarget } from './job-target.js';

/** A job's options, validated once and frozen. */
export interface ResolvedJobConfig {
  readonly id: string;
  readonly name: string;
  /** The function on the pool's thread, or the module run in a worker thread. */
  readonly target: JobTarget;
  readonly schedule: Schedule;
  /** `undefined`: the pool's `idleTimeout` applies. */
  readonly timeoutMs: number | undefined;
  readonly startAtMs: number | undefined;
  readonly endAtMs: number | undefined;
  readonly retry: ResolvedRetry;
  /** `undefined` when the job sets no hook: the run then takes the short path. */
  readonly hooks: Readonly<JobHooks> | undefined;
  readonly misfire: MisfirePolicy;
}

export interface ResolvedRetry {
  readonly active: boolean;
  /** Retries allowed after the first failure; 0 without end. */
  readonly count: number;
  readonly resetOnSuccess: boolean;
}

const JOB_KEYS = new Set([
  'id',
  'name',
  'fn',
  'worker',
  'export',
  'killAfter',
  'resourceLimits',
  'interval',
  'cron',
  'timezone',
  'timeout',
  'startAt',
  'endAt',
  'retry',
  'hooks',
  'misfire',
]);
const HOOK_NAMES: ReadonlySet<string> = new Set<HookName>([
  'onStart',
  'onSuccess',
  'onError',
  'finally',
  'onPause',
  'onResume',
  'onStop',
]);
const RETRY_KEYS = new Set(['active', 'count', 'resetOnSuccess']);
const INTERVAL_KEYS = new Set(['time']);
const HOOK_KEYS = new Set(['fn', 'ignoreError']);
const MISFIRE_POLICIES: ReadonlySet<unknown> = new Set<MisfirePolicy>(['once', 'skip', 'all']);
/** Retry options that do nothing unless `active` is true. */
const INACTIVE_RETRY_KEYS = ['count', 'resetOnSuccess'] as const;
const NO_RETRY: ResolvedRetry = Object.freeze({ active: false, count: 0, resetOnSuccess: false });

/**
 * Checks a job's options once, where they enter, and returns them in resolved form.
 *
 * @throws OrbitError `EMPTY_ID`, `EMPTY_FUNCTION`, `MIXED_SCHEDULE_TYPE`,
 * `MISSING_SCHEDULE`, `INVALID_DURATION`, `INVALID_CRON`, `INVALID_TIMEZONE`,
 * `WRONG_TIME` or `INVALID_CONFIG`.
 */
export function resolveJobConfig(config: JobConfig): ResolvedJobConfig {
  if (!isPlainObject(config)) throw invalidConfig('a job', 'an object', config);

  const id = nonEmptyId(config.id, 'job');
  const where = `job '${id}'`;
  refuseUnknownKeys(config, JOB_KEYS, where);

  try {
    const { startAtMs, endAtMs } = resolveWindow(config);
    return Object.freeze({
      id,
      name: resolveName(config.name, id),
      target: resolveJobTarget(config),
      schedule: resolveSchedule(config),
      timeoutMs: config.timeout === undefined ? undefined : parsePeriod(config.timeout, 'timeout'),
      startAtMs,
      endAtMs,
      retry: resolveRetry(config.retry),
      hooks: resolveHooks(config.hooks),
      misfire: resolveMisfire(config.misfire),
    });
  } catch (error) {
    throw withJobContext(error, where, id);
  }
}

function resolveName(name: unknown, id: string): string {
  if (name === undefined) return id;
  if (typeof name !== 'string') throw invalidConfig('name', 'a string', name);
  return name;
}

function resolveSchedule(config: JobConfig): Schedule {
  const hasInterval = config.interval !== undefined;
  const hasCron = config.cron !== undefined;
  if (hasInterval && hasCron) {
    throw new OrbitError('MIXED_SCHEDULE_TYPE', 'set either interval or cron, not both');
  }
  if (!hasInterval && !hasCron) {
    throw new OrbitError('MISSING_SCHEDULE', 'set interval: { time } or cron');
  }

  if (hasCron) {
    if (typeof config.cron !== 'string') throw invalidConfig('cron', 'a string', config.cron);
    if (config.timezone !== undefined && typeof config.timezone !== 'string') {
      throw invalidConfig('timezone', 'an IANA zone name', config.timezone);
    }
    return { kind: 'cron', cron: compileCron(config.cron, config.timezone) };
  }

  if (config.timezone !== undefined) {
    throw invalidConfig(
      'timezone',
      'left out for an interval job (it applies to cron)',
      config.timezone,
    );
  }
  if (!isPlainObject(config.interval)) {
    throw invalidConfig('interval', "an object such as { time: '5s' }", config.interval);
  }
  refuseUnknownKeys(config.interval, INTERVAL_KEYS, 'interval');
  return intervalSchedule(parsePeriod(config.interval.time, 'interval.time'));
}

/** Interval schedules are immutable: jobs with the same period share one. */
const intervalSchedules = new Map<number, Schedule>();

function intervalSchedule(periodMs: number): Schedule {
  let schedule = intervalSchedules.get(periodMs);
  if (schedule === undefined) {
    schedule = Object.freeze({ kind: 'interval', periodMs });
    if (intervalSchedules.size < 10_000) intervalSchedules.set(periodMs, schedule);
  }
  return schedule;
}

function resolveWindow(config: JobConfig): {
  startAtMs: number | undefined;
  endAtMs: number | undefined;
} {
  const startAtMs =
    config.startAt === undefined ? undefined : toInstantMs(config.startAt, 'startAt');
  const endAtMs = config.endAt === undefined ? undefined : toInstantMs(config.endAt, 'endAt');
  if (startAtMs !== undefined && endAtMs !== undefined && endAtMs < startAtMs) {
    throw new OrbitError(
      'WRONG_TIME',
      `endAt (${new Date(endAtMs).toISOString()}) is before startAt (${new Date(startAtMs).toISOString()})`,
    );
  }
  return { startAtMs, endAtMs };
}

function resolveRetry(retry: unknown): ResolvedRetry {
  if (retry === undefined) return NO_RETRY;
  if (!isPlainObject(retry)) throw invalidConfig('retry', 'an object', retry);
  refuseUnknownKeys(retry, RETRY_KEYS, 'retry');

  const { active = false, count = 0, resetOnSuccess = false } = retry;
  if (typeof active !== 'boolean') throw invalidConfig('retry.active', 'a boolean', active);
  if (typeof resetOnSuccess !== 'boolean') {
    throw invalidConfig('retry.resetOnSuccess', 'a boolean', resetOnSuccess);
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw invalidConfig('retry.count', 'a whole number, 0 or more', count);
  }
  return Object.freeze({ active, count, resetOnSuccess });
}

/**
 * What to warn about a job's `retry` that sets a count or `resetOnSuccess` but not
 * `active`: those options then do nothing, since `active` defaults to false and a failure
 * ends the job, which is almost always a forgotten `active: true`. An explicit
 * `active: false` turns retries off on purpose and is not warned about. `undefined` when
 * there is nothing to say; `retry` has passed {@link resolveJobConfig}.
 */
export function inactiveRetryWarning(
  id: string,
  retry: RetryConfig | undefined,
): string | undefined {
  if (retry === undefined || retry.active !== undefined) return undefined;

  const unused = INACTIVE_RETRY_KEYS.filter((key) => retry[key] !== undefined);
  if (unused.length === 0) return undefined;
  const names = unused.map((key) => `retry.${key}`).join(' and ');
  return (
    `job '${id}': ${names} ${unused.length === 1 ? 'is' : 'are'} set but retry.active is ` +
    'not, and without active: true a failed run ends the job (active defaults to false)'
  );
}

function resolveHooks(hooks: unknown): Readonly<JobHooks> | undefined {
  if (hooks === undefined) return undefined;
  if (!isPlainObject(hooks)) throw invalidConfig('hooks', 'an object', hooks);
  refuseUnknownKeys(hooks, HOOK_NAMES, 'hooks');

  const resolved: JobHooks = {};
  for (const [name, hook] of Object.entries(hooks)) {
    if (hook === undefined) continue;
    resolved[name as HookName] = resolveHook(hook, name);
  }
  return Object.keys(resolved).length === 0 ? undefined : Object.freeze(resolved);
}

function resolveHook(hook: unknown, name: string): Hook {
  if (!isPlainObject(hook)) throw invalidConfig(`hooks.${name}`, '{ fn, ignoreError? }', hook);
  refuseUnknownKeys(hook, HOOK_KEYS, `hooks.${name}`);
  if (typeof hook.fn !== 'function') throw invalidConfig(`hooks.${name}.fn`, 'a function', hook.fn);
  if (hook.ignoreError !== undefined && typeof hook.ignoreError !== 'boolean') {
    throw invalidConfig(`hooks.${name}.ignoreError`, 'a boolean', hook.ignoreError);
  }
  return Object.freeze({ fn: hook.fn as Hook['fn'], ignoreError: hook.ignoreError === true });
}

function resolveMisfire(misfire: unknown): MisfirePolicy {
  if (misfire === undefined) return 'once';
  if (!MISFIRE_POLICIES.has(misfire))
    throw invalidConfig('misfire', "'once', 'skip' or 'all'", misfire);
  return misfire as MisfirePolicy;
}

/** Puts the job's id into the message and onto the error. */
function withJobContext(error: unknown, where: string, jobId: string): unknown {
  if (!(error instanceof OrbitError)) return error;
  const options = 'cause' in error ? { jobId, cause: error.cause } : { jobId };
  return new OrbitError(error.code, `${where}: ${error.message}`, options);
}
