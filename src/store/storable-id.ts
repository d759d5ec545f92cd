import { nonEmptyId } from '../config/checks.js';
import { describeThrown, OrbitError } from '../errors/orbit-error.js';

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
  const unkept = unkeptText(id, { nul: limits.nul, loneSurrogates: false });
  if (unkept !== undefined) throw refuse(unkept);
  const bytes = Buffer.byteLength(id);
  if (bytes > limits.maxBytes) throw refuse(`it takes ${bytes} bytes, over ${limits.maxBytes}`);
}

/**
 * Refuses job data a store keeping JSON could not keep as given: data JSON cannot write
 * (a cycle, a BigInt) and, where `text` says the store's JSON refuses them, keys or
 * strings holding a NUL character or half of a UTF-16 pair alone.
 * @throws OrbitError `INVALID_CONFIG`
 */
export function checkStorableData(
  data: object,
  store: string,
  text: { readonly nul: boolean; readonly loneSurrogates: boolean },
): void {
  const refuse = (why: string) =>
    new OrbitError('INVALID_CONFIG', `${store} cannot keep this job data: ${why}`);
  let why: string | undefined;
  try {
    JSON.stringify(data, (key: string, value: unknown) => {
      why ??=
        unkeptText(key, text) ?? (typeof value === 'string' ? unkeptText(value, text) : undefined);
      return value;
    });
  } catch (error) {
    throw refuse(`it cannot be written as JSON (${describeThrown(error)})`);
  }
  if (why !== undefined) throw refuse(why);
}

/** Why a store keeping UTF-8 text would not keep `value` as given, or `undefined`. */
function unkeptText(
  value: string,
  keeps: { readonly nul: boolean; readonly loneSurrogates: boolean },
): string | undefined {
  if (!keeps.loneSurrogates && LONE_SURROGATE.test(value)) {
    return 'it holds half of a UTF-16 pair alone';
  }
  if (!keeps.nul && value.includes('\u0000')) return 'it holds a NUL character';
  return undefined;
}

/**
 * Refuses, where a store is asked about a job (`job`, `history`), ids no pool could have
 * given it. @throws OrbitError `EMPTY_ID`
 */
export function checkAskedIds(poolId: unknown, jobId: unknown): void {
  nonEmptyId(poolId, 'pool');
  nonEmptyId(jobId, 'job');
}
