import { describe, expect, it } from 'vitest';
import { COMMANDS, runCli } from '../../src/cli/cli.js';
import { captureIo } from '../support/cli-io.js';

async function orbit(...args: string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('orbit help', () => {
  it('lists every command with its summary on --help and exits with 0', async () => {
    const { code, out } = await orbit('--help');

    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: orbit <command> \[options\]/);
    for (const command of COMMANDS) expect(out).toContain(`  ${command.name}  `);
  });

  it.each(COMMANDS.map((command) => command.name))(
    "prints the whole help of '%s' with --help, -h and orbit help",
    async (name) => {
      const long = await orbit(name, '--help');
      const short = await orbit(name, '-h');
      const viaHelp = await orbit('help', name);

      expect(long.code).toBe(0);
      expect(long.out).toMatch(new RegExp(`^Usage: orbit ${name} `));
      expect(long.out).toContain('-h, --help');
      expect(short.out).toBe(long.out);
      expect(viaHelp.out).toBe(long.out);
    },
  );

  it('shows the help on stderr and exits with 2 when no command is given', async () => {
    const { code, out, err } = await orbit();

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('Commands:');
  });
});

describe('bad command lines', () => {
  it.each([
    [['launch'], "orbit: unknown command 'launch'; the commands are run, list"],
    [['run'], 'orbit run: give the path of a jobs module'],
    [['run', 'a.ts', 'b.ts'], "orbit run: one jobs module only; also got 'b.ts'"],
    [['run', 'a.ts', '--bogus'], 'orbit run: unknown option --bogus'],
    [['run', 'a.ts', '--store'], 'orbit run: option --store needs a value'],
    [['run', 'a.ts', '--store', 'redis://x'], '--store must be memory, sqlite:PATH or postgres://'],
    [['run', 'a.ts', '--metrics', 'abc'], '--metrics must be [HOST:]PORT'],
    [['run', 'a.ts', '--metrics', '70000'], 'a port from 0 to 65535'],
    [['run', 'a.ts', '--grace=-1s'], "--grace must be a duration such as '250ms'"],
    [['run', 'a.ts', '--grace', '-1s'], 'write --grace=VALUE for one that starts with a dash'],
    [['run', 'a.ts', '--format', 'xml'], '--format must be table or json'],
    [['run', 'a.ts', '--log-level', 'loud'], '--log-level must be one of debug, info, warn'],
    [['list'], 'orbit list: give a durable --store'],
    [['list', '--store', 'memory'], 'the in-memory store keeps nothing between processes'],
    [['list', '--store', 'sqlite:'], '--store sqlite: needs a file path'],
  ])('refuses %j with one coded line and exit code 2', async (args, message) => {
    const { code, out, err } = await orbit(...args);

    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^orbit: INVALID_ARGUMENT: /);
    expect(err).toContain(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('jobs modules that cannot run', () => {
  it('says a missing module was not found, with exit code 1', async () => {
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
    expect(err).toContain('must export by default an array of jobs, or { pool, jobs }; got 42');
  });

  it('passes a job that fails validation on with its own code', async () => {
    const { code, err } = await orbit('run', 'test/fixtures/cli/bad-job.mjs');

    expect(code).toBe(1);
    expect(err).toBe(
      "orbit: MISSING_SCHEDULE: job 'nothing-when': set interval: { time } or cron\n",
    );
  });
});
