/**
 * Every code an {@link OrbitError} can carry, with the one-line meaning that the README's
 * error table repeats. A test keeps the two in step.
 */
export const ERROR_CODES = {
  EMPTY_ID: 'A job or pool id is missing or blank.',
  ID_EXISTS: 'A job with this id is already in the pool, or a pool with this id in the Orbit.',
  EMPTY_FUNCTION: 'A job has no function to run.',
  WRONG_TIME: 'A job window ends before it starts, or a date is not a valid instant.',
  MIXED_SCHEDULE_TYPE: 'A job sets both `interval` and `cron`.',
  MISSING_SCHEDULE: 'A job sets neither `interval` nor `cron`.',
  INVALID_CRON: 'A cron expression cannot be parsed, or can never fire.',
  INVALID_DURATION:
    'A duration is negative, not a number, or not a duration string; an interval under 1 ms.',
  INVALID_TIMEZONE: 'A time zone is not a known IANA zone.',
  INVALID_CONFIG: 'An option has the wrong type or an out-of-range value.',
  JOB_NOT_FOUND: 'No job with this id is in the pool.',
  POOL_SHUTDOWN: 'The pool was killed; its runs were aborted and it cannot run again.',
  JOB_TIMEOUT: 'A run lasted longer than its timeout.',
  JOB_EXECUTION: 'A run failed: the job threw or rejected.',
  JOB_STOPPED: 'A run was stopped by `stopJob` or `removeJob`.',
  JOB_NOT_RUNNING: 'The call needs a running job.',
  JOB_ALREADY_PAUSED: 'The job is paused already.',
  JOB_NOT_PAUSED_OR_STOPPED: 'The call needs a paused or stopped job.',
  JOB_ALREADY_RUNNING: 'The job has a run in progress (running or paused).',
  JOB_NOT_RUNNABLE: 'The job is stopped, before its window, or its pool is not running.',
  HOOK_FAILED: 'A hook threw or rejected.',
  RUN_LOST: 'A run was lost with the process that held it.',
  STORE_UNAVAILABLE: 'The store could not be reached or refused a write.',
  MONITORING_FAILED: "A custom monitoring's `getMetrics()` threw.",
  MODULE_LOAD_FAILED: 'A module could not be loaded: a jobs module, or an optional part of Orbit.',
} as const;

/** A stable string that says what went wrong; see {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;
