/** JSON text of a value that may not be plain JSON, cut to a length. */
export interface JsonText {
  readonly text: string;
  /** Whether the text was cut at the limit. */
  readonly truncated: boolean;
}

/** The longest JSON text of one job's data the dashboard sends. */
export const MAX_DATA_CHARS = 4_000;

/**
 * Indented JSON of `value` for people to read. What JSON cannot hold is shown rather than
 * thrown on: a bigint as `"12n"`, an object met again as `"[seen above]"`. Text past
 * `maxChars` is cut off.
 */
export function jsonText(value: unknown, maxChars = MAX_DATA_CHARS): JsonText {
  let text: string;
  try {
    // `undefined` for a value JSON has no text for, though the types say otherwise.
    const json = JSON.stringify(value, readableReplacer(), 2) as string | undefined;
    text = json ?? 'undefined';
  } catch {
    // A getter or toJSON of the job's own data threw.
    text = '"[data that cannot be shown as JSON]"';
  }

  if (text.length <= maxChars) return { text, truncated: false };
  return { text: text.slice(0, maxChars), truncated: true };
}

function readableReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return `${value.toString()}n`;
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[seen above]';
    seen.add(value);
    return value;
  };
}
