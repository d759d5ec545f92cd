import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import { describeThrown, OrbitError } from '../errors/orbit-error.js';

type Primitive = string | number | boolean | bigint | null | undefined;

/**
 * What a job threw inside a worker thread, in a form that survives the copy to the pool.
 * Errors keep their name, message, stack, cause and primitive own properties (`code`);
 * other values are copied as they are; a value that cannot be copied is described.
 */
export type PackedThrown =
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly props: Readonly<Record<string, Primitive>>;
      readonly cause?: PackedThrown;
    }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'uncloneable'; readonly description: string };

const MAX_CAUSE_DEPTH = 4;
const OWN_ERROR_KEYS: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause']);

/** Packs a thrown value inside the thread. */
export function packThrown(value: unknown, depth = 0): PackedThrown {
  if (!(value instanceof Error)) return { kind: 'value', value };

  const props: Record<string, Primitive> = {};
  for (const [key, prop] of Object.entries(value)) {
    if (!OWN_ERROR_KEYS.has(key) && isPrimitive(prop)) props[key] = prop;
  }
  const hasCause = 'cause' in value && depth < MAX_CAUSE_DEPTH;
  return {
    kind: 'error',
    name: value.name,
    message: value.message,
    stack: value.stack,
    props,
    ...(hasCause ? { cause: packThrown(value.cause, depth + 1) } : {}),
  };
}

/** What is sent instead when a thrown value cannot be copied out of the thread. */
export function packUncloneable(value: unknown): PackedThrown {
  const kind = typeof value === 'function' ? 'a function' : describeThrown(value);
  return { kind: 'uncloneable', description: kind };
}

/**
 * Rebuilds a thrown value in the pool. An `OrbitError` comes back as one; other errors
 * as an `Error` with the same name, message, stack and properties.
 */
export function unpackThrown(packed: PackedThrown): unknown {
  if (packed.kind === 'value') return packed.value;
  if (packed.kind === 'uncloneable') {
    return new Error(
      `the job threw a value that cannot be copied out of its worker thread: ${packed.description}`,
    );
  }

  const options = packed.cause === undefined ? undefined : { cause: unpackThrown(packed.cause) };
  const { code, jobId } = packed.props;
  const error =
    packed.name === 'OrbitError' && isErrorCode(code)
      ? new OrbitError(code, packed.message, {
          ...options,
          ...(typeof jobId === 'string' ? { jobId } : {}),
        })
      : Object.assign(new Error(packed.message, options), packed.props, { name: packed.name });
  if (packed.stack !== undefined) error.stack = packed.stack;
  return error;
}

function isPrimitive(value: unknown): value is Primitive {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
