import type { BenchConfig, JobKind, ScenarioName, SkippedConfig } from '../core/bench-config.js';
import type { PeerId } from '../core/peers.js';
import type { RunOptions } from './options.js';

/** One line of the plan before filters: a configuration to run, or one left out and why. */
interface PlanRow {
  scenario: ScenarioName;
  kind: JobKind;
  peer: PeerId;
  jobCount: number;
  /** Part of `--quick`. */
  quick?: boolean;
  /** Hopeless or slow: one run whatever `--runs` says. */
  once?: boolean;
  skip?: string;
  leadMs?: number;
}

/** What the runner will do, in order. */
export interface Plan {
  configs: BenchConfig[];
  skipped: SkippedConfig[];
}

const LOAD_SIZES = [1_000, 10_000, 100_000];
const BIG = 100_000;
const IDLE_JOBS = 10_000;
const STEADY_JOBS = 10_000;
const ENDURANCE_JOBS = 200;
const FLOORS: readonly PeerId[] = ['orbit', 'heap'];
const INTERVAL_PEERS: readonly PeerId[] = ['orbit', 'heap', 'toad'];
const CRON_PEERS: readonly PeerId[] = [
  'orbit',
  'heap',
  'croner',
  'node-cron',
  'cron',
  'node-schedule',
];
const SECOND_GRANULARITY =
  'fires at most once a second per job: a million runs is the load scenario at 100,000 jobs';

const LOAD_AT_100K: Partial<Record<PeerId, Pick<PlanRow, 'skip' | 'once'>>> = {
  croner: {
    skip:
      'croner keeps a 10,000-slot year table per pattern (~83 KB of heap per job): ' +
      '100,000 jobs need ~8.3 GB, twice the default heap limit',
  },
  'node-cron': { once: true },
  cron: { once: true },
  'node-schedule': { once: true },
};

function loadRows(): PlanRow[] {
  return LOAD_SIZES.flatMap((jobCount) => {
    const quick = jobCount === BIG;
    const row = (kind: JobKind, peer: PeerId): PlanRow => ({
      scenario: 'load',
      kind,
      peer,
      jobCount,
      quick: quick && FLOORS.includes(peer),
      ...(jobCount === BIG ? LOAD_AT_100K[peer] : {}),
    });

    return [
      ...INTERVAL_PEERS.map((peer) => row('interval', peer)),
      ...CRON_PEERS.map((peer) => row('cron', peer)),
    ];
  });
}

function idleRows(): PlanRow[] {
  const row = (kind: JobKind, peer: PeerId, quick = false): PlanRow => ({
    scenario: 'idle',
    kind,
    peer,
    jobCount: peer === 'empty' ? 0 : IDLE_JOBS,
    quick,
  });

  return [
    row('interval', 'orbit', true),
    row('interval', 'heap'),
    row('interval', 'toad'),
    row('cron', 'orbit', true),
    ...(['croner', 'node-cron', 'cron', 'node-schedule'] as const).map((peer) => row('cron', peer)),
    row('interval', 'empty', true),
  ];
}

function burstRows(): PlanRow[] {
  const row = (peer: PeerId, extra: Partial<PlanRow>): PlanRow => ({
    scenario: 'burst',
    kind: 'interval',
    peer,
    jobCount: BIG,
    ...extra,
  });
  const noOneOff = 'has no one-off schedule at a given instant';

  return [
    row('orbit', { quick: true }),
    row('heap', { quick: true }),
    row('cron', { once: true, leadMs: 25_000 }),
    row('croner', {
      skip:
        'registering 20,000 one-off Date jobs took 5.8 s here (~290 µs each): 100,000 ' +
        'would block the loop ~29 s',
    }),
    row('node-schedule', {
      skip:
        'keeps one sorted array of invocations and walks back over every tie when inserting: ' +
        'quadratic for 100,000 jobs due at one instant',
    }),
    row('node-cron', { skip: noOneOff }),
    row('toad', { skip: noOneOff }),
  ];
}

function churnRows(): PlanRow[] {
  const row = (kind: JobKind, peer: PeerId, extra: Partial<PlanRow> = {}): PlanRow => ({
    scenario: 'churn',
    kind,
    peer,
    jobCount: STEADY_JOBS,
    ...extra,
  });
  const behind = 'cannot keep 10,000 every-second jobs on time (baseline: a saturated core)';

  return [
    row('interval', 'orbit', { quick: true }),
    row('interval', 'heap', { quick: true }),
    row('interval', 'toad'),
    row('cron', 'orbit'),
    row('cron', 'heap'),
    row('cron', 'croner', { once: true }),
    row('cron', 'cron', { once: true }),
    row('cron', 'node-cron', { skip: behind }),
    row('cron', 'node-schedule', { skip: behind }),
  ];
}

function enduranceRows(): PlanRow[] {
  const row = (peer: PeerId, extra: Partial<PlanRow> = {}): PlanRow => ({
    scenario: 'endurance',
    kind: 'interval',
    peer,
    jobCount: ENDURANCE_JOBS,
    ...extra,
  });

  return [
    row('orbit', { quick: true }),
    row('heap', { quick: true }),
    row('toad'),
    ...(['croner', 'node-cron', 'cron', 'node-schedule'] as const).map((peer) =>
      row(peer, { skip: SECOND_GRANULARITY }),
    ),
  ];
}

function allRows(): PlanRow[] {
  return [...loadRows(), ...idleRows(), ...burstRows(), ...churnRows(), ...enduranceRows()];
}

function isSelected(row: PlanRow, options: RunOptions): boolean {
  if (options.quick && row.quick !== true) return false;
  if (!options.peers.includes(row.peer) || !options.scenarios.includes(row.scenario)) return false;
  if (row.scenario !== 'load') return true;

  return (options.sizes ?? (options.quick ? [BIG] : LOAD_SIZES)).includes(row.jobCount);
}

/** Why a peer cannot run a kind of job in this build, or undefined when it can. */
export type Unavailable = (peer: PeerId, kind: JobKind) => string | undefined;

/** The configurations to run, each repetition of one after the other, and the skips. */
export function buildPlan(options: RunOptions, unavailable: Unavailable): Plan {
  const plan: Plan = { configs: [], skipped: [] };
  for (const row of allRows().filter((candidate) => isSelected(candidate, options))) {
    const { scenario, kind, peer, jobCount } = row;
    const skip = row.skip ?? unavailable(peer, kind);
    if (skip !== undefined) {
      plan.skipped.push({ scenario, kind, peer, jobCount, reason: skip });
      continue;
    }
    const runs = row.once === true ? 1 : options.runs;
    for (let run = 1; run <= runs; run++) {
      const lead = row.leadMs === undefined ? {} : { leadMs: row.leadMs };
      plan.configs.push({
        scenario,
        kind,
        peer,
        jobCount,
        windowMs: options.windowMs,
        run,
        ...lead,
      });
    }
  }

  return plan;
}
