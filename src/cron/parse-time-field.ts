import type { CronFieldSpec } from './cron-field-spec.js';
import { fieldError } from './cron-syntax-error.js';
import { markItem } from './parse-field-item.js';

/**
 * Reads a field with no special characters (second, minute, hour, month) into a list of
 * flags indexed by value.
 *
 * @throws OrbitError `INVALID_CRON` naming the field.
 */
export function parseTimeField(spec: CronFieldSpec, text: string): boolean[] {
  if (text.includes('?')) {
    throw fieldError(spec.name, text, "'?' is only allowed in the day fields");
  }

  const allowed: boolean[] = [];
  for (const item of text.split(',')) markItem(spec, text, item, allowed);
  return allowed;
}

/** Packs the flags for values `first` to `last` (at most 32 of them) into a bit mask. */
export function packMask(allowed: readonly boolean[], first: number, last: number): number {
  let mask = 0;
  for (let value = first; value <= last; value += 1) {
    if (allowed[value] === true) mask |= 1 << (value - first);
  }
  return mask >>> 0;
}
