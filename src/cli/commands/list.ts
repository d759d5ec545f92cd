import { existsSync } from 'node:fs';
import { OrbitError } from '../../errors/orbit-error.js';
import { isListableStore, type ListableStore, type ListedJob } from '../../store/listed-job.js';
import type { CliCommand } from '../cli-command.js';
import { cliInputError, parseCliArgs } from '../parse-cli-args.js';
import { formatDuration } from '../../time/format-duration.js';
import { textTable } from '../text-table.js';
import { assertReadable, probeStore } from '../store-probe.js';
import { closeStore, describeStore, openStore, parseStoreUrl } from '../store-url.js';

const NAME = 'list';

const HELP = `Usage: orbit list --store URL [options]

Prints the jobs a durable store holds and their state.

Options:
  --store URL          sqlite:PATH, or postgres://USER@HOST/DB[?schema=NAME]
  --pool ID            only the jobs of this pool
  --format table|json  a table (default), or one JSON object a line
  -h, --help           show this help

The in-memory store keeps nothing between processes, so it has nothing to list.
A SQLite file must exist: orbit list reads it beside the process that runs it.
orbit list never creates or upgrades anything: a file or schema without Orbit's
tables, or with tables of another Orbit version, is refused (STORE_UNAVAILABLE).

Examples:
  orbit list --store sqlite:./orbit.db
  orbit list --store postgres://localhost/app?schema=orbit --format json`;

const OPTIONS = {
  store: { type: 'string' },
  pool: { type: 'string' },
  format: { type: 'string' },
} as const;

/** `orbit list`: the jobs in a store and their state. */
export const listCommand: CliCommand = {
  name: NAME,
  summary: 'Print the jobs in a durable store and their state',
  help: HELP,
  async run(args, output) {
    const { values, positionals } = parseCliArgs(NAME, args, OPTIONS);
    if (positionals.length > 0) {
      throw cliInputError(NAME, `takes no arguments; got '${positionals.join(' ')}'`);
    }
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') {
      throw cliInputError(NAME, `--format must be table or json; got '${format}'`);
    }

    const url = parseStoreUrl(NAME, values.store);
    if (values.store === undefined || url.kind === 'memory') {
      throw cliInputError(
        NAME,
        'give a durable --store (sqlite:PATH or postgres://...): ' +
          'the in-memory store keeps nothing between processes',
      );
    }

    if (url.kind === 'sqlite' && !existsSync(url.path)) {
      throw new OrbitError('STORE_UNAVAILABLE', `there is no SQLite file at ${url.path}`);
    }
    // Listing only reads: a file or schema without Orbit's tables is refused, not set up.
    const probe = await probeStore(url);
    if (probe !== undefined) assertReadable(probe);
    const store = await openListable(await openStore(url), describeStore(url));
    try {
      const filter = values.pool === undefined ? {} : { poolId: values.pool };
      const jobs = await store.listJobs(filter);
      const lines =
        format === 'json'
          ? jobs.map((job) => JSON.stringify(jsonOf(job)))
          : renderJobs(jobs, Date.now());
      for (const line of lines) output.out(line);
      return 0;
    } finally {
      await closeStore(store);
    }
  },
};

async function openListable(store: unknown, shown: string): Promise<ListableStore> {
  if (isListableStore(store)) return store;
  await closeStore(store);
  throw new OrbitError(
    'MODULE_LOAD_FAILED',
    `the store ${shown} cannot list its jobs: it has no listJobs()`,
  );
}

const COLUMNS = ['POOL', 'JOB', 'STATUS', 'OK', 'FAILED', 'LAST START', 'NEXT RUN', 'LAST ERROR'];

/** The lines of a text table of the jobs, or one saying there are none. */
export function renderJobs(jobs: readonly ListedJob[], nowMs: number): string[] {
  if (jobs.length === 0) return ['no jobs'];

  const rows = jobs.map((job) => [
    job.poolId,
    job.jobId,
    job.status,
    String(job.success),
    String(job.failure),
    job.lastStartAt === undefined ? '-' : new Date(job.lastStartAt).toISOString(),
    relative(nextRunAt(job), nowMs),
    job.lastError === undefined ? '' : `${job.lastError.code}: ${job.lastError.message}`,
  ]);
  return textTable(COLUMNS, rows);
}

/** One job as a line of `--format json`: instants as ISO text, `null` where there is none. */
function jsonOf(job: ListedJob): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    poolId: job.poolId,
    jobId: job.jobId,
    status: job.status,
    nextRunAt: iso(nextRunAt(job)),
    lastStartAt: iso(job.lastStartAt),
    lastEndAt: iso(job.lastEndAt),
    success: job.success,
    failure: job.failure,
    fence: job.fence,
    lastError: job.lastError ?? null,
    data: job.data,
  };
}

/** When the job runs next: an ended job keeps the instant it was last due, but runs no more. */
function nextRunAt(job: ListedJob): number | undefined {
  return job.status === 'ended' ? undefined : job.dueAt;
}

function relative(atMs: number | undefined, nowMs: number): string {
  if (atMs === undefined) return '-';
  const deltaMs = atMs - nowMs;
  return deltaMs >= 0 ? `in ${formatDuration(deltaMs)}` : `${formatDuration(-deltaMs)} ago`;
}
