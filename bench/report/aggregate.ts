import type { JobKind, ScenarioName } from '../core/bench-config.js';
import type { PeerId } from '../core/peers.js';
import type { ChildOutcome } from '../runner/run-child.js';

/** The runs of one configuration folded into one row: medians, and booleans true if all are. */
export interface Aggregate {
  scenario: ScenarioName;
  kind: JobKind;
  peer: PeerId;
  jobCount: number;
  runs: number;
  values: Record<string, number | boolean>;
  errors: string[];
}

type Flat = Record<string, number | boolean>;

/** Nested objects become dotted keys; strings and arrays stay in the raw JSON only. */
function flatten(source: Record<string, unknown>, prefix = '', into: Flat = {}): Flat {
  for (const [key, value] of Object.entries(source)) {
    const name = prefix + key;
    if (typeof value === 'number' || typeof value === 'boolean') into[name] = value;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value as Record<string, unknown>, `${name}.`, into);
    }
  }

  return into;
}

/** The median of the values that are numbers; NaN when there are none. */
export function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;

  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function fold(results: Flat[]): Flat {
  const folded: Flat = {};
  const keys = new Set(results.flatMap((result) => Object.keys(result)));
  for (const key of keys) {
    const values = results.map((result) => result[key]);
    folded[key] = values.every((value) => typeof value === 'boolean')
      ? values.every(Boolean)
      : median(values.map(Number));
  }

  return folded;
}

const keyOf = (o: ChildOutcome): string =>
  [o.config.scenario, o.config.kind, o.config.peer, o.config.jobCount].join('|');

/** Groups outcomes by configuration, keeping the plan's order. */
export function aggregate(outcomes: readonly ChildOutcome[]): Aggregate[] {
  const groups = new Map<string, ChildOutcome[]>();
  for (const outcome of outcomes) {
    groups.set(keyOf(outcome), [...(groups.get(keyOf(outcome)) ?? []), outcome]);
  }

  return [...groups.values()].map((group) => {
    const { scenario, kind, peer, jobCount } = group[0]!.config;
    const results = group.flatMap((outcome) => (outcome.result ? [flatten(outcome.result)] : []));

    return {
      scenario,
      kind,
      peer,
      jobCount,
      runs: results.length,
      values: results.length > 0 ? fold(results) : {},
      errors: group.flatMap((outcome) => (outcome.error === undefined ? [] : [outcome.error])),
    };
  });
}

/** The aggregate of one configuration, if it ran. */
export function findAggregate(
  aggregates: readonly Aggregate[],
  scenario: ScenarioName,
  kind: JobKind,
  peer: PeerId,
  jobCount?: number,
): Aggregate | undefined {
  return aggregates.find(
    (row) =>
      row.scenario === scenario &&
      row.kind === kind &&
      row.peer === peer &&
      (jobCount === undefined || row.jobCount === jobCount) &&
      row.runs > 0,
  );
}
