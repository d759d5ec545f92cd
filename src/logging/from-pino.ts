import { invalidConfig } from '../config/checks.js';
import type { Logger, LogMeta } from './logger.js';

/** One level method of a pino-style logger: merge object first, then the message. */
export type PinoLogFn = (meta: object, message: string) => void;

/**
 * What Orbit needs of a pino logger: the four level methods and `child`. Anything with
 * pino's calling convention fits (pino itself, or a wrapper of another logger).
 */
export interface PinoLikeLogger {
  debug: PinoLogFn;
  info: PinoLogFn;
  warn: PinoLogFn;
  error: PinoLogFn;
  child(bindings: LogMeta): PinoLikeLogger;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Adapts a pino-style logger to Orbit's {@link Logger}. Each line's metadata becomes
 * pino's merge object, with an `error` field moved to `err` so pino's error serializer
 * writes its message, stack and cause.
 *
 * @example
 * import pino from 'pino';
 * const orbit = new Orbit({ logger: fromPino(pino({ level: 'debug' })) });
 * @throws OrbitError `INVALID_CONFIG` when `logger` lacks a level method or `child`.
 */
export function fromPino(logger: PinoLikeLogger): Logger {
  for (const method of [...LEVELS, 'child'] as const) {
    const candidate: unknown = (logger as Partial<PinoLikeLogger> | undefined)?.[method];
    if (typeof candidate !== 'function') {
      throw invalidConfig(`fromPino logger.${method}`, 'a function', candidate);
    }
  }
  return adapt(logger);
}

function adapt(logger: PinoLikeLogger): Logger {
  return {
    debug: (message, meta) => logger.debug(toMergeObject(meta), message),
    info: (message, meta) => logger.info(toMergeObject(meta), message),
    warn: (message, meta) => logger.warn(toMergeObject(meta), message),
    error: (message, meta) => logger.error(toMergeObject(meta), message),
    child: (bindings) => adapt(logger.child(bindings)),
  };
}

function toMergeObject(meta: LogMeta | undefined): object {
  if (meta === undefined) return {};
  if (!('error' in meta)) return meta;

  const { error, ...rest } = meta;
  return { ...rest, err: error };
}
