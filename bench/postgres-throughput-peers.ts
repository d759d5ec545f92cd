/**
 * The settings each peer runs with in the PostgreSQL throughput benchmark: the options each
 * one documents for throughput, so that no peer is held back by a default meant for
 * light use.
 */

/**
 * pg-boss 10 fetches `batchSize` jobs per poll and completes them in one statement; a
 * worker waits out the rest of its polling interval (at least 0.5 s) after every fetch, so
 * its rate is capped at `workers × batchSize / 0.5 s`. Its documented throughput levers are
 * a large batch and more `work()` calls per process.
 */
export const PG_BOSS = { workers: 4, batchSize: 1_000, pollingIntervalSeconds: 0.5 } as const;

/**
 * graphile-worker 0.17: `concurrency` jobs at once per process, a local queue that fetches
 * many jobs per query (`localQueue.size`), and completions batched per turn of the event
 * loop (`completeJobBatchDelay: 0`): the options its performance notes name.
 */
export const GRAPHILE_WORKER = {
  concurrency: 32,
  maxPoolSize: 34,
  pollInterval: 100,
  localQueueSize: 250,
  completeJobBatchDelay: 0,
} as const;

/** One line per peer, printed with the figures. */
export const PEER_SETTINGS = [
  `pg-boss: ${PG_BOSS.workers} work() calls per process, batchSize ${PG_BOSS.batchSize}, ` +
    `pollingIntervalSeconds ${PG_BOSS.pollingIntervalSeconds}`,
  `graphile-worker: concurrency ${GRAPHILE_WORKER.concurrency}, ` +
    `localQueue.size ${GRAPHILE_WORKER.localQueueSize}, ` +
    `completeJobBatchDelay ${GRAPHILE_WORKER.completeJobBatchDelay}, ` +
    `pollInterval ${GRAPHILE_WORKER.pollInterval} ms`,
].join('\n');
