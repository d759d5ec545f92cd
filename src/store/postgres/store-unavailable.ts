import { describeThrown, OrbitError } from '../../errors/orbit-error.js';

/** The error every failed store operation surfaces as: code `STORE_UNAVAILABLE`. */
export function storeUnavailable(action: string, cause: unknown, jobId?: string): OrbitError {
  if (cause instanceof OrbitError && cause.code === 'STORE_UNAVAILABLE') return cause;
  return new OrbitError(
    'STORE_UNAVAILABLE',
    `PostgreSQL store: ${action} failed: ${describeThrown(cause)}`,
    {
      cause,
      ...(jobId === undefined ? {} : { jobId }),
    },
  );
}

/** Runs one store operation; whatever it throws comes out as `STORE_UNAVAILABLE`. */
export async function storeCall<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storeUnavailable(action, error);
  }
}

/**
 * Whether a failed statement was refused for the data it carried (a value that does not
 * serialise, a text the database cannot hold: SQLSTATE class 22) rather than for want of
 * a database: the same statement without that input would have gone through.
 */
export function isDataRefused(error: unknown): boolean {
  const cause = error instanceof OrbitError ? error.cause : error;
  if (cause instanceof TypeError) return true;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
