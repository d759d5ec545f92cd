import type { ScheduleType } from './bench-job.js';

/** Every configuration the benchmark knows, Orbit first. */
export const PEER_IDS = [
  'orbit',
  'heap',
  'toad',
  'croner',
  'node-cron',
  'cron',
  'node-schedule',
  'empty',
] as const;

export type PeerId = (typeof PEER_IDS)[number];

/** What the tables print and what each peer can schedule. */
export interface PeerInfo {
  label: string;
  supports: readonly ScheduleType[];
}

export const PEERS: Record<PeerId, PeerInfo> = {
  orbit: { label: 'Orbit', supports: ['interval', 'cron', 'once'] },
  heap: { label: 'bare heap (floor)', supports: ['interval', 'cron', 'once'] },
  toad: { label: 'toad-scheduler', supports: ['interval'] },
  croner: { label: 'croner', supports: ['cron', 'once'] },
  'node-cron': { label: 'node-cron', supports: ['cron'] },
  cron: { label: 'cron (kelektiv)', supports: ['cron', 'once'] },
  'node-schedule': { label: 'node-schedule', supports: ['cron', 'once'] },
  empty: { label: 'empty Node process', supports: [] },
};

export function isPeerId(value: string): value is PeerId {
  return (PEER_IDS as readonly string[]).includes(value);
}
