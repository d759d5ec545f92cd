import { bitIndexes, lowBits } from './bit-mask.js';
import type { CronPattern, DayPattern } from './cron-pattern.js';
import { clock } from './wall-time-text.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ALL_DAYS_OF_MONTH = lowBits(31);
const ALL_WEEKDAYS = lowBits(7);
const ALL_MONTHS = lowBits(12);
/** Up to this many hour-and-minute pairs are listed as clock times. */
const MAX_LISTED_TIMES = 6;

/** A cron pattern in English words, such as "at 02:30, on Monday to Friday". */
export function describeCron(pattern: CronPattern): string {
  const time = describeTime(pattern);
  const days = describeDays(pattern.days);
  const months = describeMonths(pattern.months);
  const everyDay = days === '' && months === '' && /^at \d/.test(time) ? 'every day' : '';

  return [time, days || everyDay, months].filter((part) => part !== '').join(', ');
}

function describeTime(pattern: CronPattern): string {
  const seconds = sixtyValues(pattern.secondsLow, pattern.secondsHigh);
  const minutes = sixtyValues(pattern.minutesLow, pattern.minutesHigh);
  const hours = bitIndexes(pattern.hours);

  if (seconds.length === 1 && minutes.length * hours.length <= MAX_LISTED_TIMES) {
    const times = hours.flatMap((hour) =>
      minutes.map((minute) => clock(hour, minute, seconds[0] ?? 0)),
    );
    return `at ${joinWords(times)}`;
  }

  const everyMinute = minutes.length === 60;
  const minutePart =
    everyMinute && seconds.length > 1 ? '' : describeValues(minutes, 0, 59, 'minute');
  const hourPart =
    hours.length === 24
      ? minutePart.startsWith('at ')
        ? 'of every hour'
        : ''
      : describeHours(hours);
  return [
    seconds.length === 1 && seconds[0] === 0 ? '' : describeValues(seconds, 0, 59, 'second'),
    minutePart,
    hourPart,
  ]
    .filter((part) => part !== '')
    .join(' ');
}

function describeHours(hours: readonly number[]): string {
  const first = hours[0] ?? 0;
  const last = hours[hours.length - 1] ?? 0;
  if (hours.length > 1 && last - first + 1 === hours.length) {
    return `from ${clock(first, 0, 0)} to ${clock(last, 59, 0)}`;
  }
  return `past ${describeValues(hours, 0, 23, 'hour').replace(/^at /, '')}`;
}

/** "every minute", "every 15 minutes", "every 10 minutes from minute 5", "at minutes 1 and 2". */
function describeValues(values: readonly number[], min: number, max: number, unit: string): string {
  if (values.length === max - min + 1) return `every ${unit}`;

  const step = evenStep(values, max);
  const first = values[0] ?? min;
  if (step !== undefined && values.length > 2) {
    return `every ${step} ${unit}s${first === min ? '' : ` from ${unit} ${first}`}`;
  }
  return `at ${unit}${values.length === 1 ? '' : 's'} ${joinWords(values.map(String))}`;
}

function describeDays(days: DayPattern): string {
  const byMonthDay = describeDaysOfMonth(days);
  const byWeekday = describeWeekdays(days);

  if (byMonthDay === '' && byWeekday === '') return '';
  if (byMonthDay === '') return byWeekday;
  if (byWeekday === '') return byMonthDay;
  return days.mustMatchBoth
    ? `${byMonthDay} if it is ${byWeekday.replace(/^on /, '')}`
    : `${byMonthDay} or ${byWeekday.replace(/^on /, '')}`;
}

function describeDaysOfMonth(days: DayPattern): string {
  const parts: string[] = [];
  const plainDays = bitIndexes(days.daysOfMonth).map((index) => index + 1);
  if (days.daysOfMonth !== ALL_DAYS_OF_MONTH && plainDays.length > 0) {
    const step = evenStep(plainDays, 31);
    parts.push(
      step !== undefined && plainDays.length > 2
        ? `every ${step} days from day ${plainDays[0] ?? 1} of the month`
        : `on day ${joinWords(plainDays.map(String))} of the month`,
    );
  }

  for (const daysBefore of days.daysBeforeLast) {
    parts.push(
      daysBefore === 0
        ? 'on the last day of the month'
        : `${daysBefore} day${daysBefore === 1 ? '' : 's'} before the last day of the month`,
    );
  }
  for (const day of days.nearestWeekdays) parts.push(`on the weekday nearest day ${day}`);
  if (days.hasLastWeekday) parts.push('on the last weekday of the month');

  return parts.join(' or ');
}

function describeWeekdays(days: DayPattern): string {
  const parts: string[] = [];
  const weekdays = bitIndexes(days.daysOfWeek);
  if (days.daysOfWeek !== ALL_WEEKDAYS && weekdays.length > 0) {
    parts.push(`on ${describeWeekdayList(weekdays)}`);
  }

  for (const code of days.nthWeekdays) {
    parts.push(`on the ${ordinal(code & 7)} ${WEEKDAYS[code >> 3] ?? ''} of the month`);
  }
  for (const weekday of bitIndexes(days.lastWeekdays)) {
    parts.push(`on the last ${WEEKDAYS[weekday] ?? ''} of the month`);
  }

  return parts.join(' or ');
}

function describeWeekdayList(weekdays: readonly number[]): string {
  const first = weekdays[0] ?? 0;
  const last = weekdays[weekdays.length - 1] ?? 0;
  if (weekdays.length > 2 && last - first + 1 === weekdays.length) {
    return `${WEEKDAYS[first] ?? ''} to ${WEEKDAYS[last] ?? ''}`;
  }
  return joinWords(weekdays.map((weekday) => WEEKDAYS[weekday] ?? ''));
}

function describeMonths(months: number): string {
  if (months === ALL_MONTHS) return '';
  return `in ${joinWords(bitIndexes(months).map((index) => MONTHS[index] ?? ''))}`;
}

/** The common gap of values that step evenly up to the field's end, or undefined. */
function evenStep(values: readonly number[], max: number): number | undefined {
  const step = (values[1] ?? 0) - (values[0] ?? 0);
  const evenly = values.every(
    (value, index) => index === 0 || value - (values[index - 1] ?? 0) === step,
  );
  const last = values[values.length - 1] ?? 0;
  return evenly && step > 0 && last + step > max ? step : undefined;
}

function sixtyValues(low: number, high: number): number[] {
  return [...bitIndexes(low), ...bitIndexes(high).map((index) => index + 30)];
}

function ordinal(value: number): string {
  return ['', '1st', '2nd', '3rd', '4th', '5th'][value] ?? `${value}th`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}
