/**
 * One configuration, measured in a fresh process: `node --expose-gc child.mjs '<config JSON>'`
 * on the compiled child (runner/build-child.ts). The result is printed as one line starting
 * with RESULT_MARKER; anything else the library prints goes to the runner as noise to count.
 */
import type { Adapter } from './core/bench-job.js';
import type { BenchConfig, ScenarioName } from './core/bench-config.js';
import { loadAdapter } from './adapters/load-adapter.js';
import { runBurst } from './scenarios/burst.js';
import { runChurn } from './scenarios/churn.js';
import { runEndurance } from './scenarios/endurance.js';
import { runIdle } from './scenarios/idle.js';
import { runLoad } from './scenarios/load.js';
import { RESULT_MARKER } from './core/result-marker.js';

const SCENARIO_RUNNERS: Record<
  ScenarioName,
  (config: BenchConfig, adapter: Adapter) => Promise<object>
> = {
  load: runLoad,
  idle: runIdle,
  burst: runBurst,
  churn: runChurn,
  endurance: runEndurance,
};

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as BenchConfig;
  const adapter = await loadAdapter(config.peer);
  const result = await SCENARIO_RUNNERS[config.scenario](config, adapter);
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ error: String(error) })}\n`, () =>
    process.exit(1),
  );
});
