import { OrbitError } from '../errors/orbit-error.js';
import type { Logger, LogMeta } from '../logging/logger.js';

/** The levels of a log line, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where a line goes once formatted. */
export type LineSink = (line: string, level: LogLevel) => void;

/**
 * A {@link Logger} that writes one JSON object a line: `time`, `level`, `msg`, then the
 * bindings and metadata. Errors become `{ type, code, message, cause }`; dates, ISO text.
 * Lines below `minLevel` are dropped.
 */
export function jsonLogger(sink: LineSink, minLevel: LogLevel, bindings: LogMeta = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(minLevel);
  const write = (level: LogLevel, message: string, meta?: LogMeta): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const record = { time: new Date().toISOString(), level, msg: message, ...bindings, ...meta };
    sink(JSON.stringify(record, replacer), level);
  };

  return {
    debug: (message, meta) => write('debug', message, meta),
    info: (message, meta) => write('info', message, meta),
    warn: (message, meta) => write('warn', message, meta),
    error: (message, meta) => write('error', message, meta),
    child: (more) => jsonLogger(sink, minLevel, { ...bindings, ...more }),
  };
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Error) return describeError(value);
  if (value === Infinity) return 'Infinity';
  return value;
}

function describeError(error: Error): Record<string, unknown> {
  const cause: unknown = error.cause;
  return {
    type: error.name,
    ...(error instanceof OrbitError ? { code: error.code } : {}),
    message: error.message,
    ...(cause === undefined
      ? {}
      : { cause: cause instanceof Error ? describeError(cause) : cause }),
  };
}
