import type { PeerId } from './peers.js';

/** The five scenarios, in the order they run. */
export const SCENARIOS = ['load', 'idle', 'burst', 'churn', 'endurance'] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

/** Interval jobs, or cron jobs. */
export type JobKind = 'interval' | 'cron';

/** One configuration: what a fresh child process measures. */
export interface BenchConfig {
  scenario: ScenarioName;
  peer: PeerId;
  kind: JobKind;
  /** Jobs registered (load, idle, burst), jobs running (churn) or jobs cycling (endurance). */
  jobCount: number;
  /** Measurement window (load, idle). */
  windowMs: number;
  /** Repetition of the same configuration, from 1. */
  run: number;
  /** Burst: from the start of registration to the instant every job is due. */
  leadMs?: number;
}

/** A configuration left out, with the reason printed in the report. */
export interface SkippedConfig {
  scenario: ScenarioName;
  peer: PeerId;
  kind: JobKind;
  jobCount: number;
  reason: string;
}

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(value);
}
