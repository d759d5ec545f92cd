import type { ScenarioName } from '../core/bench-config.js';
import { PEERS } from '../core/peers.js';
import { findAggregate, type Aggregate } from './aggregate.js';
import { formatNumber, formatRatio, formatTable } from './format.js';

type Values = Aggregate['values'];

/** A column: its header, how to read it from a row, and whether to divide it by Orbit's. */
interface Column {
  header: string;
  read: (values: Values) => number | boolean | undefined;
  ratio: boolean;
}

const figure = (header: string, key: string, scale = 1): Column => ({
  header,
  read: (values) => (typeof values[key] === 'number' ? values[key] * scale : undefined),
  ratio: true,
});

const plain = (header: string, key: string): Column => ({
  header,
  read: (values) => values[key],
  ratio: false,
});

const deliveredShare: Column = {
  header: 'delivered',
  read: (values) => Number(values.fires) / Number(values.expectedFires),
  ratio: true,
};

const COLUMNS: Record<ScenarioName, Column[]> = {
  load: [
    figure('reg ms', 'registrationMs'),
    figure('reg CPU ms', 'registrationCpuMs'),
    figure('p50 ms', 'p50Ms'),
    figure('p99 ms', 'p99Ms'),
    figure('max ms', 'maxMs'),
    plain('drift ms/s', 'slopeMsPerS'),
    plain('off grid', 'offGridFires'),
    deliveredShare,
    plain('ok', 'firesOk'),
    figure('CPU µs/fire', 'cpuUsPerFire'),
    figure('CPU %', 'cpuSharePerWallS', 100),
    figure('heap B/job', 'heapBytesPerJob'),
    figure('RSS B/job', 'rssBytesPerJob'),
  ],
  idle: [
    figure('CPU ms/s', 'cpuMsPerWallS'),
    figure('heap B/job', 'heapBytesPerJob'),
    plain('reg ms', 'registrationMs'),
    plain('fires', 'firesDuringIdle'),
    plain('GCs', 'gcsDuringIdle'),
  ],
  burst: [
    figure('reg ms', 'registrationMs'),
    figure('first start ms', 'firstStartMs'),
    figure('last start ms', 'lastStartMs'),
    figure('all done ms', 'allRunMs'),
    plain('max in flight', 'maxInFlight'),
    plain('out of order', 'outOfOrderStarts'),
    plain('order kept', 'orderKept'),
    plain('reg overran', 'registrationOverran'),
  ],
  churn: [
    figure('churn ms', 'churnMs'),
    figure('steady p50 ms', 'steadyLateness.p50Ms'),
    figure('steady p99 ms', 'steadyLateness.p99Ms'),
    figure('steady max ms', 'steadyLateness.maxMs'),
    figure('heap after KB', 'heapAfterChurnBytes', 1 / 1024),
    plain('churned runs', 'churnedRuns'),
  ],
  endurance: [
    figure('runs/s', 'runsPerS'),
    figure('CPU µs/run', 'cpuUsPerRun'),
    plain('runs measured', 'measuredRuns'),
    figure('heap growth KB', 'heapGrowthBytes', 1 / 1024),
    figure('B/run', 'heapGrowthBytesPerRun'),
    plain('reached 1M', 'reachedTarget'),
  ],
};

export const SCENARIO_TITLES: Record<ScenarioName, string> = {
  load: 'load: N jobs due every second, lateness over the window',
  idle: 'idle: 10,000 jobs due once an hour, CPU of the whole process',
  burst: 'burst: 100,000 one-off jobs due at one instant, at most 1,000 in flight',
  churn: 'churn: 100,000 jobs added and removed while 10,000 run every second',
  endurance: 'endurance: 200 jobs every millisecond, heap over a million runs',
};

function cell(column: Column, row: Aggregate, reference: Aggregate | undefined): string {
  const value = column.read(row.values);
  const text = formatNumber(value);
  if (!column.ratio || reference === undefined || reference === row) return text;
  const referenceValue = column.read(reference.values);
  if (typeof value !== 'number' || typeof referenceValue !== 'number') return text;

  return `${text} (${formatRatio(value, referenceValue)})`;
}

function note(row: Aggregate): string {
  const error = row.errors[0];
  if (error !== undefined) return error.slice(0, 70);

  return row.values.mainThreadStalled === true ? 'held the main thread: watchdog figures' : '';
}

/** One scenario's table: Orbit's figures as measured, the others followed by `(peer/Orbit)`. */
export function scenarioTable(scenario: ScenarioName, aggregates: readonly Aggregate[]): string {
  const rows = aggregates.filter((row) => row.scenario === scenario);
  if (rows.length === 0) return '';
  const columns = COLUMNS[scenario];
  const headers = ['peer', 'kind', 'N', 'runs', ...columns.map((column) => column.header), 'note'];
  const body = rows.map((row) => {
    const jobCount = row.peer === 'empty' ? undefined : row.jobCount;
    const reference = findAggregate(aggregates, scenario, row.kind, 'orbit', jobCount);
    const cells =
      row.runs === 0 ? columns.map(() => '–') : columns.map((c) => cell(c, row, reference));

    return [
      PEERS[row.peer].label,
      row.kind,
      formatNumber(row.jobCount),
      String(row.runs),
      ...cells,
      note(row),
    ];
  });

  return `${SCENARIO_TITLES[scenario]}\n${formatTable(headers, body)}`;
}
