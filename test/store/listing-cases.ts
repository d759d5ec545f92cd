import type { JobDefinition, Store } from '../../src/store/store.js';

// What the listing tests of every durable store hold and expect: pool `reports` has
// `digest`, which ran once and failed, and `export`, which never ran; pool `billing` has
// `invoice`, running now.

export const T0 = Date.UTC(2026, 0, 1, 12);

/** The jobs as `pool/job`, in the order a listing gives them. */
export const LISTED_IDS = ['billing/invoice', 'reports/digest', 'reports/export'];

export function definition(jobId: string, firstDueAt: number): JobDefinition {
  return { jobId, name: jobId, scheduleHash: `every-minute-${jobId}`, firstDueAt };
}

/** Records `reports/digest`: registered, claimed at T0 + 5, failed at T0 + 905. */
export async function seedDigest(store: Store): Promise<void> {
  await store.register('reports', definition('digest', T0));
  await store.claim('reports', { jobId: 'digest', scheduledAt: T0, startedAt: T0 + 5 });
  await store.complete('reports', {
    jobId: 'digest',
    fence: 1,
    endedAt: T0 + 905,
    outcome: 'failure',
    error: { code: 'JOB_EXECUTION', message: 'disk full' },
    status: 'waiting',
    dueAt: T0 + 60_000,
    success: 0,
    failure: 1,
    retriesUsed: 1,
    data: { rows: 12 },
  });
}

/** Records `billing/invoice`: registered, and claimed at T0 + 1. */
export async function seedInvoice(store: Store): Promise<void> {
  await store.register('billing', definition('invoice', T0));
  await store.claim('billing', { jobId: 'invoice', scheduledAt: T0, startedAt: T0 + 1 });
}

/** `reports/digest` as `listJobs` gives it. */
export const DIGEST = {
  poolId: 'reports',
  jobId: 'digest',
  status: 'waiting',
  dueAt: T0 + 60_000,
  fence: 1,
  success: 0,
  failure: 1,
  lastStartAt: T0 + 5,
  lastEndAt: T0 + 905,
  lastError: { code: 'JOB_EXECUTION', message: 'disk full' },
  data: { rows: 12 },
};

/** `reports/digest` as a line of `orbit list --format json`. */
export const DIGEST_JSON = {
  poolId: 'reports',
  jobId: 'digest',
  status: 'waiting',
  nextRunAt: new Date(T0 + 60_000).toISOString(),
  lastStartAt: new Date(T0 + 5).toISOString(),
  lastEndAt: new Date(T0 + 905).toISOString(),
  success: 0,
  failure: 1,
  fence: 1,
  lastError: { code: 'JOB_EXECUTION', message: 'disk full' },
  data: { rows: 12 },
};

/** The table row of `billing/invoice`, started at T0 + 1 and due at T0. */
export const INVOICE_ROW = /^billing +invoice +running +0 +0 +2026-01-01T12:00:00\.001Z +\S+ ago/;
