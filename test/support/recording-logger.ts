import type { Logger, LogMeta } from '../../src/logging/logger.js';

/** One line a recording logger received. */
export interface LogLine {
  level: string;
  message: string;
  meta: LogMeta | undefined;
}

/** A logger that appends every line it receives to `lines`; its children do too. */
export function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (message: string, meta?: LogMeta) => {
    lines.push({ level, message, meta });
  };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
