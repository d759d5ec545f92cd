/** Where a job is in its life; see the state machine in `job-state-machine.ts`. */
export const JobStatus = {
  Waiting: 'waiting',
  Running: 'running',
  Paused: 'paused',
  Completed: 'completed',
  Error: 'error',
  Ended: 'ended',
  Stopped: 'stopped',
} as const;

/** One of the values of {@link JobStatus}. */
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
