import type { SeededRandom } from './seeded-random.js';

/** A random cron expression with its meaning worked out independently of the engine. */
export interface RandomCron {
  readonly expression: string;
  /** True when neither minute nor hour is a wildcard or a step (ISC's fixed-time job). */
  readonly isFixedTime: boolean;
  /** Whether a wall time (epoch ms of the wall clock's fields read as UTC) matches. */
  matches(wallMs: number): boolean;
}

type ValueTest = (value: number) => boolean;
type DayTest = (date: Date) => boolean;

interface Field<T> {
  text: string;
  test: T;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Draws a valid expression, five fields or six with seconds. */
export function randomCron(random: SeededRandom, withSeconds: boolean): RandomCron {
  const second = withSeconds
    ? randomList(random, 0, 59)
    : { text: '0', test: (v: number) => v === 0 };
  const minute = random.chance(0.3) ? { text: '*', test: () => true } : randomList(random, 0, 59);
  const hour = random.chance(0.4) ? { text: '*', test: () => true } : randomList(random, 0, 23);
  const dayOfMonth = random.chance(0.6) ? star(random) : randomDayOfMonth(random);
  const month = random.chance(0.8)
    ? { text: '*', test: () => true }
    : randomList(random, 1, 12, MONTH_NAMES);
  const dayOfWeek = random.chance(0.6) ? star(random) : randomDayOfWeek(random);

  const texts = [minute.text, hour.text, dayOfMonth.text, month.text, dayOfWeek.text];
  const unrestricted = (text: string) => text.startsWith('*') || text === '?';
  const mustMatchBoth = unrestricted(dayOfMonth.text) || unrestricted(dayOfWeek.text);
  const wildcard = (text: string) => text.includes('*') || text.includes('/');

  return {
    expression: (withSeconds ? [second.text, ...texts] : texts).join(' '),
    isFixedTime: !wildcard(minute.text) && !wildcard(hour.text),
    matches(wallMs) {
      const wall = new Date(wallMs);
      const dayMatches = mustMatchBoth
        ? dayOfMonth.test(wall) && dayOfWeek.test(wall)
        : dayOfMonth.test(wall) || dayOfWeek.test(wall);

      return (
        second.test(wall.getUTCSeconds()) &&
        minute.test(wall.getUTCMinutes()) &&
        hour.test(wall.getUTCHours()) &&
        month.test(wall.getUTCMonth() + 1) &&
        dayMatches
      );
    },
  };
}

function star(random: SeededRandom): Field<DayTest> {
  return { text: random.pick(['*', '*', '?']), test: () => true };
}

/** A list of one to three items: values, ranges, steps, `*\/s`, `a/s`, optionally names. */
function randomList(
  random: SeededRandom,
  min: number,
  max: number,
  names?: string[],
): Field<ValueTest> {
  const items = Array.from({ length: random.int(1, 3) }, () => randomItem(random, min, max, names));
  return {
    text: items.map((item) => item.text).join(','),
    test: (value) => items.some((item) => item.test(value)),
  };
}

function randomItem(
  random: SeededRandom,
  min: number,
  max: number,
  names?: string[],
): Field<ValueTest> {
  const span = max - min + 1;
  const show = (value: number) =>
    names !== undefined && random.chance(0.3)
      ? (names[value - min] ?? String(value))
      : String(value);
  const step = random.int(1, Math.min(span, 20));
  const first = random.int(min, max);
  const last = random.int(first, max);

  switch (random.int(0, 4)) {
    case 0:
      return { text: `*/${step}`, test: (v) => (v - min) % step === 0 };
    case 1:
      return { text: show(first), test: (v) => v === first };
    case 2:
      return { text: `${show(first)}-${show(last)}`, test: (v) => v >= first && v <= last };
    case 3:
      return {
        text: `${first}-${last}/${step}`,
        test: (v) => v >= first && v <= last && (v - first) % step === 0,
      };
    default:
      return { text: `${first}/${step}`, test: (v) => v >= first && (v - first) % step === 0 };
  }
}

function randomDayOfMonth(random: SeededRandom): Field<DayTest> {
  const items: Field<DayTest>[] = Array.from({ length: random.int(1, 2) }, () => {
    const day = random.int(1, 31);
    const daysBefore = random.int(1, 5);
    switch (random.int(0, 5)) {
      case 0:
        return { text: 'L', test: (d: Date) => d.getUTCDate() === lastDayOf(d) };
      case 1:
        return {
          text: `L-${daysBefore}`,
          test: (d: Date) => d.getUTCDate() === lastDayOf(d) - daysBefore,
        };
      case 2:
        return { text: `${day}W`, test: (d: Date) => d.getUTCDate() === nearestWeekday(d, day) };
      case 3:
        return {
          text: 'LW',
          test: (d: Date) => d.getUTCDate() === nearestWeekday(d, lastDayOf(d)),
        };
      default: {
        const list = randomList(random, 1, 31);
        return { text: list.text, test: (d: Date) => list.test(d.getUTCDate()) };
      }
    }
  });
  return {
    text: items.map((item) => item.text).join(','),
    test: (d) => items.some((item) => item.test(d)),
  };
}

function randomDayOfWeek(random: SeededRandom): Field<DayTest> {
  const items: Field<DayTest>[] = Array.from({ length: random.int(1, 2) }, () => {
    const weekday = random.int(0, 7);
    const sameWeekday = (d: Date) => d.getUTCDay() === weekday % 7;
    const nth = random.int(1, 5);
    switch (random.int(0, 4)) {
      case 0:
        return {
          text: `${weekday}#${nth}`,
          test: (d: Date) => sameWeekday(d) && Math.ceil(d.getUTCDate() / 7) === nth,
        };
      case 1:
        return {
          text: `${weekday}L`,
          test: (d: Date) => sameWeekday(d) && d.getUTCDate() + 7 > lastDayOf(d),
        };
      case 2:
        return {
          text: `${weekday}-7`,
          test: (d: Date) => d.getUTCDay() >= weekday || d.getUTCDay() === 0,
        };
      default: {
        const list = randomList(random, 0, 6, WEEKDAY_NAMES);
        return { text: list.text, test: (d: Date) => list.test(d.getUTCDay()) };
      }
    }
  });
  return {
    text: items.map((item) => item.text).join(','),
    test: (d) => items.some((item) => item.test(d)),
  };
}

function lastDayOf(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** The Monday-to-Friday day nearest to `day` in the month of `date`; 0 past the month's end. */
function nearestWeekday(date: Date, day: number): number {
  const last = lastDayOf(date);
  if (day > last) return 0;

  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
}
