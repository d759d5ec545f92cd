import type { Adapter } from '../core/bench-job.js';

/** No scheduler at all: the floor of idle CPU, the harness alone. */
export const adapter: Adapter = {
  create: () => ({
    start: () => undefined,
    add: () => {
      throw new Error('the empty configuration takes no jobs');
    },
    remove: () => undefined,
    stop: () => Promise.resolve(),
  }),
};
