import {
  SCENARIOS,
  type BenchConfig,
  type JobKind,
  type ScenarioName,
  type SkippedConfig,
} from '../core/bench-config.js';
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
  /** A figure the targets are judged on: at least three runs in a full run. */
  core?: boolean;
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

const CORE_RUNS = 3;
const NODE_CRON_HOPELESS =
  'hopeless at this size: the baseline measured 17.7 s of registration and 0.7 % of fires ' +
  'delivered, and at 10,000 jobs it already holds the main thread through the window';

const LOAD_AT_10K: Partial<Record<PeerId, Pick<PlanRow, 'skip' | 'once'>>> = {
  'node-cron': { once: true },
};

const LOAD_AT_100K: Partial<Record<PeerId, Pick<PlanRow, 'skip' | 'once' | 'core'>>> = {
  orbit: { core: true },
  heap: { core: true },
  croner: {
    skip:
      'croner keeps a 10,000-slot year table per pattern (~83 KB of heap per job): ' +
      '100,000 jobs need ~8.3 GB, twice the default heap limit',
  },
  'node-cron': { skip: NODE_CRON_HOPELESS },
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
      ...(jobCount === 10_000 ? LOAD_AT_10K[peer] : {}),
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
  const timedOut = ' (did not finish in 180 s here)';

  return [
    row('interval', 'orbit', { quick: true }),
    row('interval', 'heap', { quick: true }),
    row('interval', 'toad'),
    row('cron', 'orbit'),
    row('cron', 'heap'),
    row('cron', 'croner', {
      skip: 'every add allocates a ~83 KB year table: 100,000 adds allocate ~8 GB' + timedOut,
    }),
    row('cron', 'cron', {
      skip:
        'delivered about 1 % of fires with 10,000 every-second jobs (load scenario), and ' +
        '100,000 adds at ~200 µs each block the loop ~20 s' +
        timedOut,
    }),
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
    const runs =
      row.once === true
        ? 1
        : Math.max(options.runs, row.core === true && !options.quick ? CORE_RUNS : 1);
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

  plan.configs = interleaveRepeats(plan.configs);

  return plan;
}

/**
 * Repeated configurations run in rounds (A B A B A B, not A A A B B B) within a scenario
 * and size, so that a change of machine load falls on every peer alike.
 */
function interleaveRepeats(configs: BenchConfig[]): BenchConfig[] {
  const position = (config: BenchConfig): number[] => [
    SCENARIOS.indexOf(config.scenario),
    config.jobCount,
    config.run,
  ];

  return configs
    .map((config, index) => ({ config, key: [...position(config), index] }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map(({ config }) => config);
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }

  return 0;
}
