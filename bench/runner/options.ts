import { parseArgs } from 'node:util';
import { isScenarioName, SCENARIOS, type ScenarioName } from '../core/bench-config.js';
import { isPeerId, PEER_IDS, type PeerId } from '../core/peers.js';

/** What `npm run bench -- ...` asked for. */
export interface RunOptions {
  quick: boolean;
  peers: readonly PeerId[];
  scenarios: readonly ScenarioName[];
  /** Load sizes to run; undefined means the mode's default. */
  sizes: readonly number[] | undefined;
  runs: number;
  windowMs: number;
  /** Write a V8 CPU profile of every child to bench/results/profiles/. */
  cpuProf: boolean;
  help: boolean;
}

export const USAGE = `npm run bench [-- options]

  --quick              the subset the targets need (about 3 minutes)
  --only a,b           peers: ${PEER_IDS.join(', ')}
  --scenario a,b       scenarios: ${SCENARIOS.join(', ')}
  --sizes 1000,100000  job counts of the load scenario
  --runs 3             repetitions of every configuration (median reported)
  --window 10          measurement window of load and idle, in seconds
  --cpu-prof           a CPU profile per child in bench/results/profiles/<start time>/
                       (read one with: npx tsx bench/profile-summary.ts <file>);
                       the profiler costs CPU, so figures of such a run are not comparable
  --help`;

/** Parses the command line; an unknown peer or scenario is an error naming the choices. */
export function parseRunOptions(argv: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scenario: { type: 'string' },
      sizes: { type: 'string' },
      runs: { type: 'string', default: '1' },
      window: { type: 'string', default: '10' },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });

  return {
    quick: values.quick,
    peers: values.only === undefined ? PEER_IDS : listOf(values.only, isPeerId, 'peer'),
    scenarios:
      values.scenario === undefined
        ? SCENARIOS
        : listOf(values.scenario, isScenarioName, 'scenario'),
    sizes: values.sizes === undefined ? undefined : values.sizes.split(',').map(positive),
    runs: positive(values.runs),
    windowMs: positive(values.window) * 1_000,
    cpuProf: values['cpu-prof'],
    help: values.help,
  };
}

function listOf<T extends string>(
  text: string,
  isValid: (item: string) => item is T,
  what: string,
): T[] {
  return text.split(',').map((item) => {
    if (!isValid(item)) throw new Error(`unknown ${what} "${item}"\n\n${USAGE}`);

    return item;
  });
}

function positive(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`expected a positive whole number, got "${text}"`);
  }

  return value;
}
