import { describeThrown } from '../errors/orbit-error.js';
import { parseDuration } from '../time/duration.js';
import type { CliOutput } from './cli-command.js';
import { LOG_LEVELS, type LogLevel } from './json-logger.js';
import { parseListenAddress, type ListenAddress } from './listen-address.js';
import { cliInputError, parseCliArgs } from './parse-cli-args.js';
import { parseStoreUrl, type StoreUrl } from './store-url.js';

const COMMAND = 'run';

/** The environment variable that gives the dashboard its token. */
export const DASHBOARD_TOKEN_VARIABLE = 'ORBIT_DASHBOARD_TOKEN';

/** The options `orbit run` takes. */
export const RUN_OPTIONS = {
  store: { type: 'string' },
  metrics: { type: 'string' },
  dashboard: { type: 'string' },
  'dashboard-token': { type: 'string' },
  grace: { type: 'string' },
  format: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/** What the live output of `orbit run` looks like. */
export type RunFormat = 'table' | 'json';

/** The command line of one `orbit run`, checked. */
export interface RunOptions {
  readonly modulePath: string;
  readonly store: StoreUrl;
  readonly metrics: ListenAddress | undefined;
  readonly dashboard: ListenAddress | undefined;
  /** From `--dashboard-token`, or else the environment's `ORBIT_DASHBOARD_TOKEN`. */
  readonly dashboardToken: string | undefined;
  readonly graceMs: number;
  readonly format: RunFormat;
  readonly logLevel: LogLevel;
}

/**
 * Reads the arguments of `orbit run`.
 *
 * @throws OrbitError `INVALID_CONFIG` naming the argument that is wrong.
 */
export function readRunOptions(
  args: readonly string[],
  output: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
): RunOptions {
  const { values, positionals } = parseCliArgs(COMMAND, args, RUN_OPTIONS);
  const [modulePath, ...extra] = positionals;
  if (modulePath === undefined) throw cliInputError(COMMAND, 'give the path of a jobs module');
  if (extra.length > 0) {
    throw cliInputError(COMMAND, `one jobs module only; also got '${extra.join(' ')}'`);
  }

  const format = readFormat(values.format, output);
  const address = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : parseListenAddress(COMMAND, flag, text);
  return {
    modulePath,
    store: parseStoreUrl(COMMAND, values.store),
    metrics: address('--metrics', values.metrics),
    dashboard: address('--dashboard', values.dashboard),
    dashboardToken: readDashboardToken(values['dashboard-token'], env),
    graceMs: readGrace(values.grace),
    format,
    logLevel: readLogLevel(values['log-level'], format),
  };
}

function readFormat(text: string | undefined, output: CliOutput): RunFormat {
  if (text === undefined) return output.terminal === undefined ? 'json' : 'table';
  if (text === 'json') return text;
  if (text === 'table' && output.terminal !== undefined) return text;
  if (text === 'table') throw cliInputError(COMMAND, '--format table needs a terminal');
  throw cliInputError(COMMAND, `--format must be table or json; got '${text}'`);
}

function readDashboardToken(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const token = flag ?? env[DASHBOARD_TOKEN_VARIABLE];
  return token === '' ? undefined : token;
}

function readGrace(text: string | undefined): number {
  if (text === undefined) return 30_000;
  try {
    return parseDuration(text, '--grace');
  } catch (error) {
    throw cliInputError(COMMAND, describeThrown(error));
  }
}

function readLogLevel(text: string | undefined, format: RunFormat): LogLevel {
  if (text === undefined) return format === 'json' ? 'debug' : 'warn';
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw cliInputError(
    COMMAND,
    `--log-level must be one of ${LOG_LEVELS.join(', ')}; got '${text}'`,
  );
}
