/** `512 B`, `114.3 KB`, `2.0 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** `340ms`, `4.1s`, `2m05s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;

  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Local wall time `HH:MM:SS`, with `.mmm` when asked. */
export function formatClock(epochMs: number, withMs = false): string {
  const time = new Date(epochMs);
  const parts = [time.getHours(), time.getMinutes(), time.getSeconds()];
  const clock = parts.map((part) => String(part).padStart(2, '0')).join(':');
  return withMs ? `${clock}.${String(time.getMilliseconds()).padStart(3, '0')}` : clock;
}

/** `CODE: message` of anything thrown; for an error that wraps a cause, the cause's message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);

  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  const message = error.cause instanceof Error ? error.cause.message : error.message;
  return `${code}${message}`;
}
