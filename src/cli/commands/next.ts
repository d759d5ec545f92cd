import { explainCron } from '../../cron/explain-cron.js';
import { nextRuns } from '../../cron/next-runs.js';
import { isOrbitError, OrbitError } from '../../errors/orbit-error.js';
import type { CliCommand, CliOutput } from '../cli-command.js';
import { parseCliArgs } from '../parse-cli-args.js';

const DEFAULT_COUNT = 5;
const MAX_COUNT = 1000;
const HAS_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
/**
 * The last year listed. The cron engine computes instants up to the end of it in UTC; a
 * zone ahead of UTC reaches the year 10000 first, and its wall times from there are not
 * listed, so every line keeps a four-digit year.
 */
const LAST_YEAR = 9999;
/** An instant from which every expression that can fire at all does, well before LAST_YEAR. */
const PLAIN_YEARS_MS = Date.UTC(2000, 0, 1);

const OPTIONS = {
  tz: { type: 'string' },
  from: { type: 'string' },
  count: { type: 'string', short: 'n' },
} as const;

const HELP = `Usage: orbit next "<expression>" [--tz ZONE] [--from ISO] [-n COUNT]

Prints the next fire times of a cron expression, in the zone and in UTC, exactly as a job
with that cron and timezone would run, and says in words what the expression means.

Options:
  --tz ZONE       IANA zone the expression is read in (default: this machine's zone)
  --from ISO      list fire times strictly after this instant, with an offset or Z,
                  such as 2026-03-08T00:00:00-05:00 (default: now)
  -n, --count N   how many fire times, 1 to ${MAX_COUNT} (default: ${DEFAULT_COUNT})
  -h, --help      show this help

Without --tz, the zone is this machine's, which the TZ variable may set. Fire times
are listed up to the end of the year ${LAST_YEAR}, in UTC and in the zone.

Example:
  orbit next "30 2 * * *" --tz America/New_York --from 2021-03-13T12:00:00-05:00 -n 3`;

/** `orbit next`: the next fire times of a cron expression, with notes on daylight saving. */
export const nextCommand: CliCommand = {
  name: 'next',
  summary: 'Show the next fire times of a cron expression',
  help: HELP,
  run(args, output) {
    const { values, positionals } = parseCliArgs('next', args, OPTIONS);
    const expression = singleExpression(positionals);
    const explanation = explainIn(expression, values.tz);
    const { timezone } = explanation;
    const count = parseCount(values.count);
    const fires = nextRuns(expression, { timezone, from: parseFrom(values.from), count }).filter(
      (fire) => localYear(explanation.localTime(fire)) <= LAST_YEAR,
    );

    output.out(`${expression} (${timezone}): ${explanation.description}`);
    const everFires = nextRuns(expression, { timezone, from: PLAIN_YEARS_MS, count: 1 });
    if (everFires.length === 0) {
      output.out('It never fires: no date matches its day-of-month, month and day-of-week.');
      return 0;
    }

    if (fires.length > 0) printFires(output, fires, explanation);
    if (fires.length < count) {
      const more = fires.length === 0 ? 'No fire time' : 'No more fire times';
      output.out(`${more} before the end of ${LAST_YEAR}: Orbit lists none later.`);
    }
    return 0;
  },
};

/**
 * The expression explained in `zone`, or in the machine's zone. A `TZ` variable that
 * names no zone is what a bad machine zone comes from: the message names it.
 */
function explainIn(expression: string, zone: string | undefined): ReturnType<typeof explainCron> {
  try {
    return explainCron(expression, zone);
  } catch (error) {
    const tzVariable = process.env.TZ;
    if (zone !== undefined || tzVariable === undefined || !isOrbitError(error)) throw error;
    if (error.code !== 'INVALID_TIMEZONE') throw error;
    throw new OrbitError(
      'INVALID_TIMEZONE',
      `the TZ environment variable is '${tzVariable}', which is not an IANA zone name ` +
        "such as 'Europe/Paris': set TZ to one, or give --tz",
      { cause: error },
    );
  }
}

function printFires(
  output: CliOutput,
  fires: readonly Date[],
  explanation: ReturnType<typeof explainCron>,
): void {
  const localWidth = 'YYYY-MM-DD HH:MM:SS +HH:MM'.length;
  output.out('');
  output.out(`  ${explanation.timezone.padEnd(localWidth)}  UTC`);

  for (const fire of fires) {
    const utc = fire.toISOString().replace('.000Z', 'Z');
    const note = explanation.noteFor(fire);
    const line = `  ${explanation.localTime(fire).padEnd(localWidth)}  ${utc}`;
    output.out(note === undefined ? line : `${line}  ${note}`);
  }
}

/** The year of a wall time written `YYYY-MM-DD ...` (five digits from the year 10000). */
function localYear(localTime: string): number {
  return Number(localTime.slice(0, localTime.indexOf('-')));
}

function singleExpression(positionals: readonly string[]): string {
  const [expression, ...extra] = positionals;
  if (expression === undefined || extra.length > 0) {
    throw new OrbitError(
      'INVALID_CONFIG',
      'orbit next takes one cron expression, in quotes: orbit next "*/5 * * * *"',
    );
  }
  return expression;
}

function parseFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;

  const fromMs = Date.parse(text);
  if (!HAS_ZONE.test(text.trim()) || Number.isNaN(fromMs)) {
    throw new OrbitError(
      'WRONG_TIME',
      '--from must be an ISO 8601 instant with an offset or Z, ' +
        `such as 2026-03-08T09:00:00Z; got '${text}'`,
    );
  }
  return fromMs;
}

function parseCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_COUNT;

  const count = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(count >= 1 && count <= MAX_COUNT)) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `-n must be a whole number from 1 to ${MAX_COUNT}; got '${text}'`,
    );
  }
  return count;
}
