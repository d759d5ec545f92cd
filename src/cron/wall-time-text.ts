import { civilFromDays, SECONDS_PER_DAY } from './civil-calendar.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A wall time of day as `HH:MM`, or `HH:MM:SS` when the seconds are not zero. */
export function clock(hour: number, minute: number, second: number): string {
  return `${pad(hour)}:${pad(minute)}${second === 0 ? '' : `:${pad(second)}`}`;
}

/** The time of day of a wall time (seconds since 1970-01-01T00:00 of the wall clock). */
export function wallClock(wall: number): string {
  const secondOfDay = wall - Math.floor(wall / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  return clock(Math.floor(secondOfDay / 3600), Math.floor(secondOfDay / 60) % 60, secondOfDay % 60);
}

/** A wall time as `YYYY-MM-DD HH:MM:SS`. */
export function wallDateTime(wall: number): string {
  const secondOfDay = wall - Math.floor(wall / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  return `${wallDate(wall)} ${wallClock(wall - (secondOfDay % 60))}:${pad(secondOfDay % 60)}`;
}

/** The date of a wall time as `YYYY-MM-DD`. */
export function wallDate(wall: number): string {
  const { year, month, day } = civilFromDays(Math.floor(wall / SECONDS_PER_DAY));
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** An offset in seconds as `+HH:MM` or `-HH:MM` (with `:SS` for old local mean times). */
export function offsetText(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const size = Math.abs(offsetSeconds);
  const seconds = size % 60;
  const hoursAndMinutes = `${pad(Math.floor(size / 3600))}:${pad(Math.floor(size / 60) % 60)}`;
  return `${sign}${hoursAndMinutes}${seconds === 0 ? '' : `:${pad(seconds)}`}`;
}
