import { FIELD_SPECS } from './cron-field-spec.js';
import type { CronPattern } from './cron-pattern.js';
import { expressionError } from './cron-syntax-error.js';
import { isWildcardDayField, parseDayOfMonth, parseDayOfWeek } from './parse-day-fields.js';
import { packMask, parseTimeField } from './parse-time-field.js';

/** The longest expression accepted; a full list of 60 minutes fits with room to spare. */
export const MAX_EXPRESSION_LENGTH = 1024;

const NICKNAMES: Readonly<Record<string, string>> = Object.freeze({
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
});

/**
 * Reads a cron expression: five fields (minute hour day-of-month month day-of-week), six
 * with seconds first, or a nickname such as `@daily`.
 *
 * @throws OrbitError `INVALID_CRON` whose message names the field and what is wrong.
 */
export function parseCron(expression: string): CronPattern {
  const fields = splitFields(expression);
  const [secondText, minuteText, hourText, dayOfMonthText, monthText, dayOfWeekText] =
    fields.length === 6 ? fields : ['0', ...fields];

  const seconds = parseTimeField(FIELD_SPECS.second, secondText ?? '');
  const minutes = parseTimeField(FIELD_SPECS.minute, minuteText ?? '');
  const hours = parseTimeField(FIELD_SPECS.hour, hourText ?? '');
  const dayOfMonth = parseDayOfMonth(dayOfMonthText ?? '');
  const months = parseTimeField(FIELD_SPECS.month, monthText ?? '');
  const dayOfWeek = parseDayOfWeek(dayOfWeekText ?? '');

  return Object.freeze({
    secondsLow: packMask(seconds, 0, 29),
    secondsHigh: packMask(seconds, 30, 59),
    minutesLow: packMask(minutes, 0, 29),
    minutesHigh: packMask(minutes, 30, 59),
    hours: packMask(hours, 0, 23),
    months: packMask(months, 1, 12),
    days: Object.freeze({
      ...dayOfMonth,
      ...dayOfWeek,
      mustMatchBoth:
        isWildcardDayField(dayOfMonthText ?? '') || isWildcardDayField(dayOfWeekText ?? ''),
    }),
    isFixedTime: !isWildcardTimeField(minuteText ?? '') && !isWildcardTimeField(hourText ?? ''),
  });
}

/** The expression's fields, after expanding a nickname; checks the count and the length. */
function splitFields(expression: string): string[] {
  if (typeof expression !== 'string') {
    throw expressionError(String(expression), 'must be a string');
  }

  const text = expression.trim();
  if (text === '') throw expressionError(expression, 'is empty');
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw expressionError(expression, `is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }

  if (text.startsWith('@')) return expandNickname(expression, text).split(' ');

  const fields = text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    const fieldCount = `${fields.length} field${fields.length === 1 ? '' : 's'}`;
    throw expressionError(expression, `has ${fieldCount}; expected 5, or 6 with seconds first`);
  }
  return fields;
}

function expandNickname(expression: string, text: string): string {
  const expanded = NICKNAMES[text.toLowerCase()];
  if (expanded === undefined) {
    const known = Object.keys(NICKNAMES).join(', ');
    throw expressionError(expression, `unknown nickname; expected one of ${known}`);
  }
  return expanded;
}

/** A minute or hour field that is a wildcard or a step follows the wall clock through DST. */
function isWildcardTimeField(text: string): boolean {
  return text.includes('*') || text.includes('/');
}
