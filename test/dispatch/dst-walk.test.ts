import { describe, expect, it } from 'vitest';
import { nextRuns } from '../../src/index.js';
import { createHarness } from '../support/harness.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The zone's UTC offset in minutes at `epochMs`, read from Intl. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetMinutes(timeZone: string, epochMs: number): number {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? '');
  if (match === null) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Every instant in `year` (to the hour) after which the zone's offset differs. */
function transitionsOf(timeZone: string, year: number): number[] {
  const found: number[] = [];
  const endMs = Date.UTC(year + 1, 0, 1);
  for (let ms = Date.UTC(year, 0, 1); ms < endMs; ms += HOUR_MS) {
    if (offsetMinutes(timeZone, ms) !== offsetMinutes(timeZone, ms + HOUR_MS)) found.push(ms);
  }
  return found;
}

interface Walk {
  timezone: string;
  /** Expressions whose wall time falls in or near the zone's gap and repeated hour. */
  crons: string[];
}

const walks: Walk[] = [
  { timezone: 'America/New_York', crons: ['30 2 * * *', '30 1 * * *', '*/30 * * * *'] },
  { timezone: 'Europe/Berlin', crons: ['30 2 * * *', '0 * * * *', '0 */20 * * * *'] },
  { timezone: 'Australia/Lord_Howe', crons: ['15 2 * * *', '45 1 * * *', '*/15 1-2 * * *'] },
  { timezone: 'Pacific/Chatham', crons: ['0 3 * * *', '15 2 * * *', '*/20 2-3 * * *'] },
];

describe('cron jobs across both daylight-saving changes', () => {
  it.each(walks)(
    'fire in $timezone exactly when nextRuns says, through spring and autumn',
    async ({ timezone, crons }) => {
      const transitions = transitionsOf(timezone, 2026);
      expect(transitions).toHaveLength(2);

      for (const changeMs of transitions) {
        const fromMs = changeMs - DAY_MS;
        const untilMs = changeMs + DAY_MS;
        const { clock, pool } = createHarness({ startMs: fromMs });
        const fired = new Map<string, number[]>(crons.map((cron) => [cron, []]));

        for (const cron of crons) {
          pool.addJob({
            id: cron,
            cron,
            timezone,
            fn: () => {
              fired.get(cron)?.push(clock.now());
            },
          });
        }
        pool.run();
        await clock.tick(untilMs - fromMs);
        await pool.kill();

        for (const cron of crons) {
          const expected = nextRuns(cron, { from: fromMs, timezone, count: 1_000 })
            .map((date) => date.getTime())
            .filter((ms) => ms <= untilMs);
          expect(expected.length, `${cron} in ${timezone}`).toBeGreaterThanOrEqual(1);
          expect(fired.get(cron), `${cron} in ${timezone}`).toEqual(expected);
        }
      }
    },
  );

  it('fires a fixed-time job in the spring gap once, at the end of the gap', async () => {
    const fromMs = Date.parse('2026-03-07T12:00:00-05:00');
    const { clock, pool } = createHarness({ startMs: fromMs });
    const fired: string[] = [];
    pool.addJob({
      id: 'gap',
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      fn: () => {
        fired.push(new Date(clock.now()).toISOString());
      },
    });
    pool.run();
    await clock.tick(3 * DAY_MS);

    expect(fired).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });
});
