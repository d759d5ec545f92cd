import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The demo's command line, checked. */
export interface DemoArgs {
  /** Files or folders to scan instead of the bundled tz data, resolved. */
  paths: string[];
  /** Stop by itself after this many seconds; `undefined` runs until `q`. */
  durationS: number | undefined;
  /** Wait after each chunk the scan reads. */
  paceMs: number;
  /** Where the report job writes `summary.json`; `undefined`: a fresh temp folder. */
  outDir: string | undefined;
  showHelp: boolean;
}

/** The usage text. */
export const USAGE = `Usage: npm run demo:terminal -- [FILE_OR_FOLDER...] [--duration S] [--pace MS]
                                [--out DIR]

Schedules three jobs in an Orbit pool and shows them live:
  scan    reads the IANA tz database shipped in examples/data (or the files you name)
          in chunks; it can be paused, resumed, stopped and started again
  report  a cron job with seconds that writes what the scan found to DIR/summary.json
  check   reads that file back every few seconds; fails now and then, retried for ever

  --duration  stop after this many seconds (default: until q on a terminal, 15 otherwise)
  --pace      milliseconds to wait after each chunk of 100 lines (default 150)
  --out       folder for summary.json (default: a new folder in the system temp
              folder, removed on exit)`;

/**
 * Reads the command line. Relative paths are taken from where `npm run` was typed.
 * @throws Error with a message for people when an option is wrong.
 */
export function parseDemoArgs(argv: string[], cwd: string): DemoArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      pace: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

  return {
    paths: positionals.map((path) => resolve(cwd, path)),
    durationS: values.duration === undefined ? undefined : positive('--duration', values.duration),
    paceMs: values.pace === undefined ? 150 : positive('--pace', values.pace, true),
    outDir: values.out === undefined ? undefined : resolve(cwd, values.out),
    showHelp: values.help === true,
  };
}

function positive(option: string, text: string, isZeroAllowed = false): number {
  const value = Number(text);
  const isValid = Number.isFinite(value) && (value > 0 || (isZeroAllowed && value === 0));
  if (!isValid) throw new Error(`${option} takes a positive number; got '${text}'`);
  return value;
}
