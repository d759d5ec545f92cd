import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-list.js';
import { runCli } from '../../src/cli/run-cli.js';
import { captureOutput, recordingTerminal } from '../support/cli-io.js';

async function orbit(...args: string[]) {
  const output = captureOutput();
  const code = await runCli(args, output);
  return { code, out: output.stdout(), err: output.stderr() };
}

describe('orbit help', () => {
  it('lists run and list among the commands', async () => {
    const { code, out } = await orbit('--help');

    expect(code).toBe(0);
    expect(out).toMatch(/ {2}run {3}Run the jobs a module exports/);
    expect(out).toMatch(/ {2}list {2}Print the jobs in a durable store/);
  });

  it.each(['run', 'list'])("prints the whole help of '%s' with --help and -h", async (name) => {
    const long = await orbit(name, '--help');
    const short = await orbit(name, '-h');
    const command = COMMANDS.find((candidate) => candidate.name === name);

    expect(long.code).toBe(0);
    expect(long.out).toBe(`${command?.help ?? 'missing'}\n`);
    expect(long.out).toMatch(new RegExp(`^Usage: orbit ${name} `));
    expect(long.out).toContain('-h, --help');
    expect(short.out).toBe(long.out);
  });
});

describe('bad command lines', () => {
  it.each([
    [['run'], 'orbit run: give the path of a jobs module'],
    [['run', 'a.ts', 'b.ts'], "orbit run: one jobs module only; also got 'b.ts'"],
    [['run', 'a.ts', '--bogus'], "orbit run: unknown option '--bogus'"],
    [['run', 'a.ts', '--store'], "Option '--store <value>' argument missing"],
    [['run', 'a.ts', '--store', 'redis://x'], '--store must be memory, sqlite:PATH or postgres://'],
    [['run', 'a.ts', '--metrics', 'abc'], '--metrics must be [HOST:]PORT'],
    [['run', 'a.ts', '--metrics', '70000'], 'a port from 0 to 65535'],
    [['run', 'a.ts', '--grace=-1s'], "--grace must be a duration such as '250ms'"],
    [['run', 'a.ts', '--format', 'xml'], '--format must be table or json'],
    [['run', 'a.ts', '--format', 'table'], '--format table needs a terminal'],
    [['run', 'a.ts', '--log-level', 'loud'], '--log-level must be one of debug, info, warn'],
    [['list'], 'orbit list: give a durable --store'],
    [['list', '--store', 'memory'], 'the in-memory store keeps nothing between processes'],
    [['list', '--store', 'sqlite:'], '--store sqlite: needs a file path'],
    [['list', '--store', 'postgres://localhost/db?foo=bar'], "unknown URL parameter 'foo'"],
    [['run', 'a.ts', '--store', 'postgres://h/db?schema=s&x=1'], "unknown URL parameter 'x'"],
  ])('refuses %j with one coded line and a non-zero exit', async (args, message) => {
    const { code, out, err } = await orbit(...args);

    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^orbit: INVALID_CONFIG: /);
    expect(err).toContain(message);
    expect(err).toMatch(/Run 'orbit (run|list) --help' for its options\.\n$/);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('unknown commands', () => {
  it.each(['lst', 'runn', '--verbose'])(
    "refuses 'orbit %s' with one coded line that names the commands, and exit code 1",
    async (name) => {
      const { code, out, err } = await orbit(name, 'x.ts');

      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toBe(
        `orbit: INVALID_CONFIG: unknown command '${name}'; the commands are run, list, next. ` +
          "Run 'orbit --help' for more.\n",
      );
    },
  );
});

describe('jobs modules that cannot run', () => {
  it('says a missing module was not found', async () => {
    const { code, err } = await orbit('run', 'test/fixtures/cli/nowhere.ts');

    expect(code).toBe(1);
    expect(err).toMatch(
      /^orbit: MODULE_LOAD_FAILED: jobs module 'test\/fixtures\/cli\/nowhere.ts' not found/,
    );
  });

  it('says what a module that exports no jobs exported instead', async () => {
    const { code, err } = await orbit('run', 'test/fixtures/cli/not-jobs.mjs');

    expect(code).toBe(1);
    expect(err).toContain('orbit: INVALID_CONFIG: jobs module');
    expect(err).toContain('must export an array of jobs or { pool, jobs } as its default export');
    expect(err).toContain('; got 42');
  });

  it("shows an empty pool id as ''", async () => {
    const { code, err } = await orbit('run', 'test/fixtures/cli/pool-empty-id.mjs');

    expect(code).toBe(1);
    expect(err).toBe("orbit: EMPTY_ID: pool id must be a non-empty string; got ''\n");
  });

  it('passes a job that fails validation on with its own code', async () => {
    const { code, err } = await orbit('run', 'test/fixtures/cli/bad-job.mjs');

    expect(code).toBe(1);
    expect(err).toBe(
      "orbit: MISSING_SCHEDULE: job 'nothing-when': set interval: { time } or cron\n",
    );
  });
});

describe('orbit run in this process', () => {
  it('draws a live table on a terminal until every job has ended', async () => {
    const terminal = recordingTerminal();
    const output = captureOutput(terminal);
    const code = await runCli(['run', 'test/fixtures/cli/jobs-array.mjs'], output);

    expect(code).toBe(0);
    expect(output.stdout()).toBe('');
    expect(terminal.text()).toMatch(/^orbit: pool orbit on memory, up \d+ms/);
    expect(terminal.text()).toMatch(/\nonce +ended +1 +0 /);
  });
});
