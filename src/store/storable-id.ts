import { OrbitError } from '../errors/orbit-error.js';

/** A UTF-16 half of a pair standing alone: text encoders write U+FFFD for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How much of a refused id its error shows. */
const SHOWN_CHARS = 40;

/**
 * Refuses a job id that a database storing UTF-8 text would keep as another id (a lone
 * surrogate), or could not keep at all: NUL characters (unless `nul` says the store keeps
 * them), or more than `maxBytes` bytes. @throws OrbitError `INVALID_CONFIG`
 */
export function checkStorableId(
  jobId: string,
  store: string,
  limits: { readonly maxBytes: number; readonly nul: boolean },
): void {
  const refuse = (why: string) => {
    const id = jobId.length > SHOWN_CHARS ? `${jobId.slice(0, SHOWN_CHARS)}...` : jobId;
    return new OrbitError('INVALID_CONFIG', `${store} cannot keep job id '${id}': ${why}`, {
      jobId,
    });
  };
  if (LONE_SURROGATE.test(jobId)) throw refuse('it holds half of a UTF-16 pair alone');
  if (!limits.nul && jobId.includes('\u0000')) throw refuse('it holds a NUL character');
  const bytes = Buffer.byteLength(jobId);
  if (bytes > limits.maxBytes) throw refuse(`it takes ${bytes} bytes, over ${limits.maxBytes}`);
}
