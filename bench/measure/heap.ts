/** Heap and resident set after a forced full collection. */
export interface MemorySample {
  heapUsedBytes: number;
  rssBytes: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Collects garbage twice (needs `--expose-gc`), then reads the process's memory use. */
export function forcedMemorySample(): MemorySample {
  if (collect === undefined) throw new Error('run the child with --expose-gc');
  collect();
  collect();
  const usage = process.memoryUsage();

  return { heapUsedBytes: usage.heapUsed, rssBytes: usage.rss };
}
