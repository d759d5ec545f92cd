import { OrbitError } from '../../errors/orbit-error.js';
import type { CliCommand } from '../cli-command.js';
import { cliInputError, parseCliArgs } from '../parse-cli-args.js';
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

const OPTIONS = {
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

    const store = await openListable(await openStore(url), describeStore(url));
    try {
      const filter = values.pool === undefined ? {} : { poolId: values.pool };
      const jobs = await store.listJobs(filter);
      const lines =
        format === 'json' ? jobs.map((job) => JSON.stringify(job)) : renderJobs(jobs, Date.now());
      for (const line of lines) output.out(line);
      return 0;
    } finally {
      await store.close?.();
    }
  },
};

async function openListable(store: unknown, shown: string): Promise<ListableStore> {
  if (typeof (store as Partial<ListableStore>).listJobs === 'function')
    return store as ListableStore;
  await (store as Partial<ListableStore>).close?.();
  throw new OrbitError(
    'MODULE_LOAD_FAILED',
    `the store ${shown} cannot list its jobs: it has no listJobs()`,
  );
}

const COLUMNS = ['POOL', 'JOB', 'STATUS', 'OK', 'FAILED', 'LAST START', 'NEXT RUN', 'LAST ERROR'];

/** The lines of a text table of the jobs, or one saying there are none. */
export function renderJobs(jobs: readonly StoredJob[], nowMs: number): string[] {
  if (jobs.length === 0) return ['no jobs'];

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
  return textTable(COLUMNS, rows);
}

function relative(deltaMs: number): string {
  return deltaMs >= 0 ? `in ${formatDuration(deltaMs)}` : `${formatDuration(-deltaMs)} ago`;
}
