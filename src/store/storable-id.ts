import { OrbitError } from '../errors/orbit-error.js';

/** A UTF-16 half of a pair standing alone: text encoders write U+FFFD for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How much of a refused id its error shows. */
const SHOWN_CHARS = 40;

/**
 * Refuses a job or pool id that a database storing UTF-8 text would keep as another id
 * (a lone surrogate), or could not keep at all: NUL characters (unless `nul` says the
 * store keeps them), or more than `maxBytes` bytes. @throws OrbitError `INVALID_CONFIG`
 */
export function checkStorableId(
  id: string,
  of: 'job' | 'pool',
  store: string,
  limits: { readonly maxBytes: number; readonly nul: boolean },
): void {
  const refuse = (why: string) => {
    const start = id.length > SHOWN_CHARS ? `${id.slice(0, SHOWN_CHARS)}...` : id;
    // As JSON, so that a NUL or a lone surrogate shows in the message.
    const message = `${store} cannot keep ${of} id ${JSON.stringify(start)}: ${why}`;
    return new OrbitError('INVALID_CONFIG', message, of === 'job' ? { jobId: id } : {});
  };
  if (LONE_SURROGATE.test(id)) throw refuse('it holds half of a UTF-16 pair alone');
  if (!limits.nul && id.includes('\u0000')) throw refuse('it holds a NUL character');
  const bytes = Buffer.byteLength(id);
  if (bytes > limits.maxBytes) throw refuse(`it takes ${bytes} bytes, over ${limits.maxBytes}`);
}
