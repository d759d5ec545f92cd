/**
 * A formatter that prints the wall clock of `zone` as `M/D/YYYY, HH:MM:SS` (24-hour), the
 * one form Orbit reads offsets from.
 *
 * @throws RangeError when `Intl` does not know the zone.
 */
export function createWallClockFormatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}
