import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SkippedConfig } from '../core/bench-config.js';
import type { ChildOutcome } from '../runner/run-child.js';
import type { RunOptions } from '../runner/options.js';
import type { Aggregate } from './aggregate.js';
import type { TargetCheck } from './targets.js';

const RESULTS_DIR = new URL('../results/', import.meta.url);
const ROOT = new URL('../../', import.meta.url);
const PEER_PACKAGES = ['croner', 'node-cron', 'toad-scheduler', 'node-schedule', 'cron'];

/** Everything one `npm run bench` measured, as written to bench/results/<timestamp>.json. */
export interface ResultsFile {
  startedAt: string;
  finishedAt: string;
  argv: string[];
  options: RunOptions;
  machine: { node: string; cpu: string; cores: number; memoryBytes: number };
  versions: Record<string, string>;
  outcomes: ChildOutcome[];
  skipped: SkippedConfig[];
  aggregates: Aggregate[];
  targets: TargetCheck[];
}

async function versionOf(name: string): Promise<string> {
  const path = new URL(`node_modules/${name}/package.json`, ROOT);
  const { version } = JSON.parse(await readFile(path, 'utf8')) as { version: string };

  return version;
}

/** Versions of Orbit and of every peer package, as installed. */
export async function installedVersions(): Promise<Record<string, string>> {
  const orbit = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as {
    version: string;
  };
  const entries = await Promise.all(
    PEER_PACKAGES.map(async (name) => [name, await versionOf(name)] as const),
  );

  return { 'orbit-scheduler': orbit.version, ...Object.fromEntries(entries) };
}

export function machineInfo(): ResultsFile['machine'] {
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
  };
}

const fileStem = (startedAt: string): string => startedAt.replace(/[:.]/g, '-');

/** Where the CPU profiles of a run started at `startedAt` go. */
export function profileDirectory(startedAt: string): string {
  return fileURLToPath(new URL(`profiles/${fileStem(startedAt)}/`, RESULTS_DIR));
}

/** Writes the file and returns its path. */
export async function writeResults(results: ResultsFile): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const name = `${fileStem(results.startedAt)}.json`;
  const url = new URL(name, RESULTS_DIR);
  await writeFile(url, `${JSON.stringify(results, null, 2)}\n`);

  return fileURLToPath(url);
}
