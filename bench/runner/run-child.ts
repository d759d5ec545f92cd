import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import type { BenchConfig, ScenarioName } from '../core/bench-config.js';
import { RESULT_MARKER } from '../core/result-marker.js';

/** One configuration's outcome, as the runner stores it in the JSON. */
export interface ChildOutcome {
  config: BenchConfig;
  /** The child's result object, or undefined when it failed or timed out. */
  result: Record<string, unknown> | undefined;
  error: string | undefined;
  wallMs: number;
  /** `os.loadavg()` (1, 5, 15 min) before and after: the machine is shared. */
  loadAvgBefore: number[];
  loadAvgAfter: number[];
  /** Lines the library printed to stderr (warnings), and the first few of them. */
  stderrLines: number;
  stderrSample: string[];
}

const STDERR_SAMPLE_LINES = 5;

/** Node options that write a CPU profile of the child into `directory`, named after it. */
export function cpuProfileArgs(config: BenchConfig, directory: string): string[] {
  const { scenario, peer, kind, jobCount, run } = config;

  return [
    '--cpu-prof',
    `--cpu-prof-dir=${directory}`,
    `--cpu-prof-name=${[scenario, peer, kind, jobCount, run].join('-')}.cpuprofile`,
  ];
}

/** How long a child may take before it is killed: generous, covers 20 s of registration. */
function timeoutMs(scenario: ScenarioName, windowMs: number): number {
  const budgets: Record<ScenarioName, number> = {
    load: windowMs + 90_000,
    idle: windowMs + 100_000,
    burst: 120_000,
    churn: 180_000,
    endurance: 150_000,
  };

  return budgets[scenario];
}

/**
 * Runs one configuration in a fresh `node --expose-gc` process on the compiled child
 * (see build-child.ts) and collects its result.
 */
export function runChild(
  childPath: string,
  config: BenchConfig,
  nodeArgs: readonly string[] = [],
): Promise<ChildOutcome> {
  const startMs = Date.now();
  const loadAvgBefore = loadavg();
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...nodeArgs, childPath, JSON.stringify(config)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(
    () => child.kill('SIGKILL'),
    timeoutMs(config.scenario, config.windowMs),
  );

  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const stderrLines = stderr.split('\n').filter((line) => line.trim() !== '');
      const parsed = parseResult(stdout);
      const exitError = signal === null ? `exit code ${code}` : `killed (${signal}): timed out`;
      resolve({
        config,
        result: parsed.error === undefined ? parsed.result : undefined,
        error: parsed.error ?? (parsed.result === undefined ? exitError : undefined),
        wallMs: Date.now() - startMs,
        loadAvgBefore,
        loadAvgAfter: loadavg(),
        stderrLines: stderrLines.length,
        stderrSample: stderrLines.slice(0, STDERR_SAMPLE_LINES),
      });
    });
  });
}

function parseResult(stdout: string): { result?: Record<string, unknown>; error?: string } {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_MARKER));
  if (line === undefined) return {};
  const result = JSON.parse(line.slice(RESULT_MARKER.length)) as Record<string, unknown>;

  return typeof result.error === 'string' ? { error: result.error } : { result };
}
