import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import type { HookName } from './job-config.js';
import type { Run } from './run.js';

/** Told when a hook failed, after its error was recorded on the run's job. */
export type HookFailed = (run: Run, hook: HookName, error: OrbitError, ignored: boolean) => void;

/**
 * Calls one hook of a run's job, if it has that hook. A throw or rejection is wrapped
 * in `HOOK_FAILED`, recorded under `error.hookError.<hook>`, and returned unless the
 * hook says `ignoreError`.
 */
export async function runHook(
  run: Run,
  name: HookName,
  runError: OrbitError | undefined,
  recorded: HookFailed,
): Promise<OrbitError | undefined> {
  const hook = run.job.config.hooks?.[name];
  if (hook === undefined) return undefined;

  try {
    await hook.fn(run, runError);
    return undefined;
  } catch (thrown) {
    const error = new OrbitError(
      'HOOK_FAILED',
      `hook ${name} of job '${run.jobId}' failed: ${describeThrown(thrown)}`,
      {
        jobId: run.jobId,
        cause: thrown,
      },
    );
    const ignored = hook.ignoreError === true;
    run.job.recordHookError(name, error);
    recorded(run, name, error, ignored);
    return ignored ? undefined : error;
  }
}

/** Wraps what a job threw as the run's `JOB_EXECUTION` error. */
export function jobFailed(run: Run, thrown: unknown): OrbitError {
  return new OrbitError('JOB_EXECUTION', `job '${run.jobId}' failed: ${describeThrown(thrown)}`, {
    jobId: run.jobId,
    cause: thrown,
  });
}
