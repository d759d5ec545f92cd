import type { Adapter } from '../core/bench-job.js';
import type { PeerId } from '../core/peers.js';

/** Imports only the one library a child process measures, so no other one sits in its heap. */
export async function loadAdapter(peer: PeerId): Promise<Adapter> {
  const modules: Record<PeerId, () => Promise<{ adapter: Adapter }>> = {
    orbit: () => import('./orbit.js'),
    heap: () => import('./heap.js'),
    toad: () => import('./toad.js'),
    croner: () => import('./croner.js'),
    'node-cron': () => import('./node-cron.js'),
    cron: () => import('./cron.js'),
    'node-schedule': () => import('./node-schedule.js'),
    empty: () => import('./empty.js'),
  };

  return (await modules[peer]()).adapter;
}
