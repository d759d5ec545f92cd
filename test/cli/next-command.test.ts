import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as {
  version?: unknown;
};

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source as a child process (`tsx src/cli/main.ts ...`), as a shell would. */
function orbit(...args: string[]): CliRun {
  return orbitWithTz('UTC', ...args);
}

function orbitWithTz(tz: string, ...args: string[]): CliRun {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: tz },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the same dispatcher in this process, for the cases that need no real process. */
async function orbitInProcess(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { status, stdout, stderr };
}

describe('orbit next', () => {
  it('prints fire times in the zone and in UTC, and why a DST gap moves one', () => {
    const run = orbit(
      'next',
      '30 2 * * *',
      '--tz',
      'America/New_York',
      '--from',
      '2021-03-13T12:00:00-05:00',
      '-n',
      '3',
    );

    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('30 2 * * * (America/New_York): at 02:30, every day');
    expect(lines.slice(3)).toEqual([
      '  2021-03-14 03:00:00 -04:00  2021-03-14T07:00:00Z  on 2021-03-14 at 03:00 because 02:30 ' +
        'does not exist (clocks go forward from 02:00 to 03:00)',
      '  2021-03-15 02:30:00 -04:00  2021-03-15T06:30:00Z',
      '  2021-03-16 02:30:00 -04:00  2021-03-16T06:30:00Z',
    ]);
  });

  it('reads the expression in the local zone and lists five times by default', () => {
    const run = orbit('next', '@daily', '--from', '2026-01-01T00:00:00Z');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('@daily (UTC): at 00:00, every day');
    expect(run.stdout.match(/T00:00:00Z/g)).toHaveLength(5);
  });

  it('refuses a bad expression with its code and no stack trace', () => {
    const run = orbit('next', '*/90 * * * *');

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe(
      "orbit: INVALID_CRON: cron minute field '*/90': step 90 is wider than the field's 60 values",
    );
  });

  it('refuses an unknown zone, a bad count and an instant without offset', async () => {
    const badZone = await orbitInProcess('next', '* * * * *', '--tz', 'Mars/Olympus');
    const badCount = await orbitInProcess('next', '* * * * *', '-n', 'many');
    const badFrom = await orbitInProcess('next', '* * * * *', '--from', '2026-01-01T09:00');

    expect([badZone.status, badCount.status, badFrom.status]).toEqual([1, 1, 1]);
    expect(badZone.stderr).toMatch(/^orbit: INVALID_TIMEZONE: timezone 'Mars\/Olympus'/);
    expect(badCount.stderr).toMatch(/^orbit: INVALID_CONFIG: -n must be a whole number/);
    expect(badFrom.stderr).toMatch(/^orbit: WRONG_TIME: --from must be an ISO 8601 instant/);
  });

  it('says when an expression never fires', async () => {
    const run = await orbitInProcess('next', '0 0 30 2 *', '--tz', 'UTC');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('It never fires');
  });
});

describe('orbit next at the edges', () => {
  it('says the search ended at the last year it computes, not that the expression never fires', () => {
    const run = orbit('next', '* * * * *', '--from', '9999-12-31T23:58:00Z', '-n', '3');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('  9999-12-31 23:59:00 +00:00  9999-12-31T23:59:00Z\n');
    expect(run.stdout).toContain(
      'No more fire times before the end of 9999: Orbit lists none later.',
    );
    expect(run.stdout).not.toContain('never fires');
  });

  it('says no fire time is left when the search starts at the very end', async () => {
    const run = await orbitInProcess(
      'next',
      '* * * * *',
      '--tz',
      'UTC',
      '--from',
      '9999-12-31T23:59:00Z',
    );

    expect(run.stdout.trimEnd().split('\n')).toEqual([
      '* * * * * (UTC): every minute',
      'No fire time before the end of 9999: Orbit lists none later.',
    ]);
  });

  it('stops listing where the zone reaches the year 10000, before UTC does', async () => {
    const kiritimati = ['--tz', 'Pacific/Kiritimati', '-n', '3'];
    const lastMinutes = await orbitInProcess(
      'next',
      '* * * * *',
      ...kiritimati,
      '--from',
      '9999-12-31T09:58:00Z',
    );
    const pastTheEnd = await orbitInProcess(
      'next',
      '* * * * *',
      ...kiritimati,
      '--from',
      '9999-12-31T10:00:00Z',
    );

    expect(lastMinutes.status).toBe(0);
    expect(lastMinutes.stdout.trimEnd().split('\n').slice(3)).toEqual([
      '  9999-12-31 23:59:00 +14:00  9999-12-31T09:59:00Z',
      'No more fire times before the end of 9999: Orbit lists none later.',
    ]);
    expect(pastTheEnd.stdout.trimEnd().split('\n')).toEqual([
      '* * * * * (Pacific/Kiritimati): every minute',
      'No fire time before the end of 9999: Orbit lists none later.',
    ]);
  });

  it('still says an expression that matches no date never fires', async () => {
    const run = await orbitInProcess('next', '0 0 30 2 *', '--tz', 'UTC');

    expect(run.stdout).toContain('It never fires: no date matches');
  });

  it('names the TZ variable and its value when it is no zone', () => {
    const run = orbitWithTz('Bogus/Zone', 'next', '0 9 * * *');

    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "orbit: INVALID_TIMEZONE: the TZ environment variable is 'Bogus/Zone', which is not an " +
        "IANA zone name such as 'Europe/Paris': set TZ to one, or give --tz\n",
    );
  });

  it.each([
    [['next', '* * * * *', '-n', '-5'], "-n must be a whole number from 1 to 1000; got '-5'"],
    [['run', 'jobs.mjs', '--grace', '-1s'], "--grace must be a duration such as '250ms'"],
    [
      ['run', 'jobs.mjs', '--store', '--metrics'],
      "--store got '--metrics', which reads as an option; to give a value that starts with '-', write --store=--metrics",
    ],
  ])("judges %j by its own rules, not the parser's", async (args, message) => {
    const run = await orbitInProcess(...args);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^orbit: INVALID_CONFIG: /);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('ambiguous');
  });

  it('lists -h, --help in its help', async () => {
    const run = await orbitInProcess('next', '--help');

    expect(run.stdout).toMatch(/^ {2}-h, --help +show this help$/m);
  });
});

describe('orbit', () => {
  it('prints the package version with --version', async () => {
    const run = await orbitInProcess('--version');

    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${String(packageJson.version)}\n`);
  });

  it('prints its usage and exits with 2 without a command', async () => {
    const run = await orbitInProcess();

    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^Usage: orbit <command> \[options\]/);
  });

  it('lists its commands with --help and explains one with <command> --help', () => {
    const overview = orbit('--help');
    const nextHelp = orbit('next', '--help');

    expect(overview.status).toBe(0);
    expect(overview.stdout).toMatch(/^ {2}next {2}Show the next fire times of a cron expression$/m);
    expect(nextHelp.status).toBe(0);
    expect(nextHelp.stdout).toMatch(/^Usage: orbit next "<expression>"/);
  });

  it('refuses an unknown command with a coded line and exit code 1', async () => {
    const run = await orbitInProcess('launch');

    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd()).toBe(
      "orbit: INVALID_CONFIG: unknown command 'launch'; the commands are run, list, next. " +
        "Run 'orbit --help' for more.",
    );
  });
});
