export { ERROR_CODES, type ErrorCode } from './errors/error-codes.js';
export { OrbitError, isOrbitError, type OrbitErrorOptions } from './errors/orbit-error.js';
export { systemClock, type Clock, type TimerHandle } from './time/clock.js';
export { parseDuration, type Duration } from './time/duration.js';
export { JobStatus } from './job/job-status.js';
export type {
  Hook,
  HookFn,
  HookName,
  JobConfig,
  JobControl,
  JobData,
  JobFn,
  JobHooks,
  MisfirePolicy,
  RetryConfig,
} from './job/job-config.js';
export type { JobErrors, JobState, Monitoring } from './monitoring/monitoring.js';
export type { PoolConfig } from './pool/pool-config.js';
export type { CronSchedule } from './cron/cron-schedule.js';
export { Orbit, type OrbitOptions } from './orbit.js';
export { Pool, type KillOptions } from './pool/pool.js';
export { MemoryMonitoring } from './monitoring/memory-monitoring.js';
export { silentLogger, type Logger, type LogMeta } from './logging/logger.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export type {
  ClaimResult,
  JobDefinition,
  MaybePromise,
  Registration,
  RunClaim,
  RunCompletion,
  RunOutcome,
  RunRecord,
  StatusChange,
  Store,
  StoredError,
  StoredJob,
  StoredStatus,
} from './store/store.js';
export { compileCron } from './cron/compile-cron.js';
export { nextRuns, type NextRunsOptions } from './cron/next-runs.js';
export { explainCron, type CronExplanation } from './cron/explain-cron.js';
export {
  POOL_EVENT_NAMES,
  type EndReason,
  type HookFailedEvent,
  type JobAddedEvent,
  type JobEndedEvent,
  type JobEventBase,
  type JobPausedEvent,
  type JobPauseWithdrawnEvent,
  type JobRemovedEvent,
  type JobResumedEvent,
  type JobStoppedEvent,
  type MissReason,
  type PoolEventBase,
  type PoolEventListener,
  type PoolEventName,
  type PoolEvents,
  type PoolKilledEvent,
  type PoolStartedEvent,
  type RunEndedEvent,
  type RunEventBase,
  type RunFailedEvent,
  type RunMissedEvent,
  type RunRetriedEvent,
  type RunSkippedEvent,
  type RunStartedEvent,
  type RunSucceededEvent,
  type TicksNotServedEvent,
} from './events/pool-events.js';
export { fromPino, type PinoLikeLogger, type PinoLogFn } from './logging/from-pino.js';
