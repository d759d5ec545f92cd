/** Structured context attached to a log line. */
export type LogMeta = Record<string, unknown>;

/**
 * Where Orbit reports what it does. Orbit never prints; without a logger it is silent.
 * State changes go to `debug`, contained failures (a throwing monitoring, listener or
 * store) to `warn` or `error`.
 */
export interface Logger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogMeta): Logger;
}

/** The default logger: drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/** A logger that never throws into Orbit, whatever the wrapped one does. */
export function guardLogger(logger: Logger): Logger {
  if (logger === silentLogger) return logger;

  const call = (level: 'debug' | 'info' | 'warn' | 'error', message: string, meta?: LogMeta) => {
    try {
      logger[level](message, meta);
    } catch {
      // A broken logger has nowhere left to report to; the scheduler must go on.
    }
  };

  return {
    debug: (message, meta) => call('debug', message, meta),
    info: (message, meta) => call('info', message, meta),
    warn: (message, meta) => call('warn', message, meta),
    error: (message, meta) => call('error', message, meta),
    child: (bindings) => {
      try {
        return guardLogger(logger.child(bindings));
      } catch {
        return guardLogger(logger);
      }
    },
  };
}
