import type { CronFieldSpec } from './cron-field-spec.js';
import { fieldError } from './cron-syntax-error.js';

/**
 * Reads one comma-separated item of a field: `*`, `*\/S`, `A`, `A-B`, `A-B/S` or `A/S`,
 * with numbers or names, and marks the values it allows in `allowed` (indexed by value).
 *
 * `A/S` means `A-max/S`. A range must not be reversed and a step must not be wider than
 * the field: both are refused rather than given a surprising meaning.
 *
 * @throws OrbitError `INVALID_CRON` naming the field.
 */
export function markItem(
  spec: CronFieldSpec,
  fieldText: string,
  item: string,
  allowed: boolean[],
): void {
  const [rangeText = '', stepText, extra] = item.split('/');
  if (extra !== undefined) throw fieldError(spec.name, fieldText, `'${item}' has two steps`);

  const step = stepText === undefined ? 1 : parseStep(spec, fieldText, stepText);
  const [first, last] = parseRange(spec, fieldText, rangeText, stepText !== undefined);

  for (let value = first; value <= last; value += step) allowed[toCanonical(spec, value)] = true;
}

/**
 * Reads one value, a number or a name, and checks it against the field's range.
 *
 * @throws OrbitError `INVALID_CRON` naming the field.
 */
export function parseValue(spec: CronFieldSpec, fieldText: string, token: string): number {
  if (token === '') throw fieldError(spec.name, fieldText, 'a value is missing');

  const named = spec.names[token.toUpperCase()];
  if (named !== undefined) return named;

  if (!/^\d+$/.test(token)) {
    throw fieldError(spec.name, fieldText, `'${token}' is not a number${nameHint(spec)}`);
  }

  const value = Number(token);
  if (value < spec.min || value > spec.max) {
    const shown = token.length > 6 ? `${token.slice(0, 6)}...` : String(value);
    throw fieldError(
      spec.name,
      fieldText,
      `value ${shown} is out of range ${spec.min}-${spec.max}`,
    );
  }
  return value;
}

/** Day-of-week 7 is another name for Sunday (0); every other value is itself. */
export function toCanonical(spec: CronFieldSpec, value: number): number {
  return spec.name === 'day-of-week' && value === 7 ? 0 : value;
}

function parseStep(spec: CronFieldSpec, fieldText: string, stepText: string): number {
  if (!/^\d+$/.test(stepText)) {
    throw fieldError(spec.name, fieldText, `step '${stepText}' is not a whole number`);
  }

  const step = Number(stepText);
  const span = spanOf(spec);
  if (step < 1) throw fieldError(spec.name, fieldText, 'a step must be at least 1');
  if (step > span) {
    throw fieldError(
      spec.name,
      fieldText,
      `step ${stepText.length > 6 ? 'value' : step} is wider than the field's ${span} values`,
    );
  }
  return step;
}

function parseRange(
  spec: CronFieldSpec,
  fieldText: string,
  rangeText: string,
  hasStep: boolean,
): [number, number] {
  if (rangeText === '*') return [spec.min, spec.min + spanOf(spec) - 1];
  if (rangeText === '') {
    const problem = hasStep ? 'a step needs a start, such as */5' : 'a value is missing';
    throw fieldError(spec.name, fieldText, problem);
  }

  const [firstText = '', lastText, extra] = rangeText.split('-');
  if (extra !== undefined) throw fieldError(spec.name, fieldText, `'${rangeText}' is not a range`);

  const first = parseValue(spec, fieldText, firstText);
  if (lastText === undefined) {
    return [first, hasStep ? Math.max(first, spec.min + spanOf(spec) - 1) : first];
  }

  const last = parseValue(spec, fieldText, lastText);
  if (first > last) {
    throw fieldError(
      spec.name,
      fieldText,
      `range ${rangeText} is reversed (its start is after its end)`,
    );
  }
  return [first, last];
}

/** How many distinct values the field has (day-of-week: 7, though 7 is accepted). */
function spanOf(spec: CronFieldSpec): number {
  return spec.name === 'day-of-week' ? 7 : spec.max - spec.min + 1;
}

function nameHint(spec: CronFieldSpec): string {
  const names = Object.keys(spec.names);
  if (names.length === 0) return '';
  return ` or a name (${names[0] ?? ''}-${names[names.length - 1] ?? ''})`;
}
