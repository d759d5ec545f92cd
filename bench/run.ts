/**
 * `npm run bench`: runs every configuration of the plan in a fresh child process, one at a
 * time, prints a table per scenario (peers as ratios to Orbit) and the targets, and writes
 * the raw figures to bench/results/<timestamp>.json.
 */
import { loadavg } from 'node:os';
import { SCENARIOS, type BenchConfig } from './core/bench-config.js';
import { PEERS } from './core/peers.js';
import { aggregate } from './report/aggregate.js';
import { formatTable } from './report/format.js';
import {
  installedVersions,
  machineInfo,
  profileDirectory,
  writeResults,
} from './report/results-file.js';
import { scenarioTable } from './report/scenario-tables.js';
import { checkTargets, targetsTable } from './report/targets.js';
import { parseRunOptions, USAGE } from './runner/options.js';
import { buildPlan, type Plan, type Unavailable } from './runner/plan.js';
import { orbitCronMissing } from './adapters/orbit.js';
import { buildChild } from './runner/build-child.js';
import { cpuProfileArgs, runChild, type ChildOutcome } from './runner/run-child.js';

/** Orbit's cron engine may lag behind its interval jobs; such configurations are skipped. */
function unavailable(): Unavailable {
  const cronMissing = orbitCronMissing();

  return (peer, kind) => (peer === 'orbit' && kind === 'cron' ? cronMissing : undefined);
}

function describe(config: BenchConfig): string {
  const label = `${config.scenario} ${PEERS[config.peer].label} ${config.kind} N=${config.jobCount}`;

  return config.run > 1 ? `${label} (run ${config.run})` : label;
}

async function runAll(plan: Plan, profileDir: string | undefined): Promise<ChildOutcome[]> {
  const childPath = await buildChild();
  const outcomes: ChildOutcome[] = [];
  for (const [index, config] of plan.configs.entries()) {
    const nodeArgs = profileDir === undefined ? [] : cpuProfileArgs(config, profileDir);
    const outcome = await runChild(childPath, config, nodeArgs);
    outcomes.push(outcome);
    const status = outcome.error === undefined ? 'ok' : `FAILED: ${outcome.error}`;
    const load = outcome.loadAvgBefore[0]?.toFixed(2) ?? '?';
    console.log(
      `[${index + 1}/${plan.configs.length}] ${describe(config)}: ${status}, ` +
        `${(outcome.wallMs / 1000).toFixed(1)} s, load ${load}`,
    );
  }

  return outcomes;
}

function skippedTable(plan: Plan): string {
  const rows = plan.skipped.map((skip) => [
    `${skip.scenario} ${PEERS[skip.peer].label} ${skip.kind} N=${skip.jobCount}`,
    skip.reason,
  ]);

  return `Left out\n${formatTable(['configuration', 'reason'], rows)}`;
}

async function main(): Promise<void> {
  const options = parseRunOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);

    return;
  }
  const startedAt = new Date().toISOString();
  const plan = buildPlan(options, unavailable());
  console.log(
    `${plan.configs.length} configurations, one fresh process each; load now ` +
      `${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}\n`,
  );
  const profileDir = options.cpuProf ? profileDirectory(startedAt) : undefined;
  const outcomes = await runAll(plan, profileDir);
  const aggregates = aggregate(outcomes);
  const targets = checkTargets(aggregates);

  const tables = SCENARIOS.map((scenario) => scenarioTable(scenario, aggregates));
  console.log(`\n${tables.filter((table) => table !== '').join('\n\n')}`);
  console.log("\nCells: the peer's figure, then (peer / Orbit) for the same kind and N.");
  if (plan.skipped.length > 0) console.log(`\n${skippedTable(plan)}`);
  console.log(`\n${targetsTable(targets)}`);
  const path = await writeResults({
    startedAt,
    finishedAt: new Date().toISOString(),
    argv: process.argv.slice(2),
    options,
    machine: machineInfo(),
    versions: await installedVersions(),
    outcomes,
    skipped: plan.skipped,
    aggregates,
    targets,
  });
  console.log(`\nRaw results: ${path}`);
  if (profileDir !== undefined) console.log(`CPU profiles: ${profileDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
