import { OrbitError } from '../../errors/orbit-error.js';
import { usageError, type Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { stringFlag } from '../parse-flags.js';
import { formatDuration } from '../status-table.js';
import { textTable } from '../text-table.js';
import { describeStore, openStore, parseStoreUrl } from '../store-url.js';

const NAME = 'list';

const HELP = `Usage: orbit list --store URL [options]

Prints the jobs a durable store holds and their state.

Options:
  --store URL          sqlite:PATH, or postgres://USER@HOST/DB[?schema=NAME]
  --pool ID            only the jobs of this pool
  --format table|json  a table (default), or one JSON object a line
  -h, --help           show this help

The in-memory store keeps nothing between processes, so it has nothing to list.`;

const FLAGS = {
  store: { type: 'string' },
  pool: { type: 'string' },
  format: { type: 'string' },
} as const;

/**
 * One job as a store lists it. A durable store offers
 * `listJobs({ poolId? }): Promise<StoredJob[]>` for `orbit list`.
 */
export interface StoredJob {
  readonly poolId: string;
  readonly jobId: string;
  readonly status: string;
  readonly nextRun?: Date | undefined;
  readonly startAt?: Date | undefined;
  readonly endAt?: Date | undefined;
  readonly success?: number;
  readonly failure?: number;
  /** The last run's error message, if it failed. */
  readonly lastError?: string | undefined;
}

interface ListableStore {
  listJobs(filter: { poolId?: string }): Promise<readonly StoredJob[]> | readonly StoredJob[];
  close?(): unknown;
}

/** `orbit list`: the jobs in a store and their state. */
export const listCommand: Command = defineCommand({
  name: NAME,
  summary: 'print the jobs in a durable store and their state',
  help: HELP,
  flags: FLAGS,
  async run(flags, io) {
    if (flags.positionals.length > 0) {
      throw usageError(NAME, `takes no arguments; got '${flags.positionals.join(' ')}'`);
    }
    const format = stringFlag(flags, 'format') ?? 'table';
    if (format !== 'table' && format !== 'json') {
      throw usageError(NAME, `--format must be table or json; got '${format}'`);
    }

    const storeText = stringFlag(flags, 'store');
    const url = parseStoreUrl(NAME, storeText);
    if (storeText === undefined || url.kind === 'memory') {
      throw usageError(
        NAME,
        'give a durable --store (sqlite:PATH or postgres://...): ' +
          'the in-memory store keeps nothing between processes',
      );
    }

    const store = await openListable(await openStore(url), describeStore(url));
    try {
      const poolId = stringFlag(flags, 'pool');
      const jobs = await store.listJobs(poolId === undefined ? {} : { poolId });
      io.stdout.write(format === 'json' ? jsonLines(jobs) : renderJobs(jobs, Date.now()));
      return 0;
    } finally {
      await store.close?.();
    }
  },
});

async function openListable(store: unknown, shown: string): Promise<ListableStore> {
  if (typeof (store as Partial<ListableStore>).listJobs === 'function')
    return store as ListableStore;
  await (store as Partial<ListableStore>).close?.();
  throw new OrbitError(
    'MODULE_LOAD_FAILED',
    `the store ${shown} cannot list its jobs: it has no listJobs()`,
  );
}

function jsonLines(jobs: readonly StoredJob[]): string {
  return jobs.map((job) => `${JSON.stringify(job)}\n`).join('');
}

const COLUMNS = ['POOL', 'JOB', 'STATUS', 'OK', 'FAILED', 'LAST START', 'NEXT RUN', 'LAST ERROR'];

/** The jobs as a text table, or a line saying there are none. */
export function renderJobs(jobs: readonly StoredJob[], nowMs: number): string {
  if (jobs.length === 0) return 'no jobs\n';

  const rows = jobs.map((job) => [
    job.poolId,
    job.jobId,
    job.status,
    String(job.success ?? 0),
    String(job.failure ?? 0),
    job.startAt === undefined ? '-' : new Date(job.startAt).toISOString(),
    job.nextRun === undefined ? '-' : relative(new Date(job.nextRun).getTime() - nowMs),
    job.lastError ?? '',
  ]);
  return textTable(COLUMNS, rows)
    .map((line) => `${line}\n`)
    .join('');
}

function relative(deltaMs: number): string {
  return deltaMs >= 0 ? `in ${formatDuration(deltaMs)}` : `${formatDuration(-deltaMs)} ago`;
}
