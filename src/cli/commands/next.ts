import { explainCron } from '../../cron/explain-cron.js';
import { nextRuns } from '../../cron/next-runs.js';
import { OrbitError } from '../../errors/orbit-error.js';
import type { CliCommand, CliOutput } from '../cli-command.js';
import { parseCliArgs } from '../parse-cli-args.js';

const DEFAULT_COUNT = 5;
const MAX_COUNT = 1000;
const HAS_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

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
    const explanation = explainCron(expression, values.tz);
    const fires = nextRuns(expression, {
      timezone: explanation.timezone,
      from: parseFrom(values.from),
      count: parseCount(values.count),
    });

    output.out(`${expression} (${explanation.timezone}): ${explanation.description}`);
    if (fires.length === 0) {
      output.out('It never fires: no date matches its day-of-month, month and day-of-week.');
      return 0;
    }

    printFires(output, fires, explanation);
    return 0;
  },
};

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
