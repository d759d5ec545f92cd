import type { HookName, JobControl, JobHooks, OrbitError } from '../../src/index.js';
import type { EventLog, EventTone } from './event-log.js';
import { describeError } from './format.js';

/** What to write when a hook fires: a fixed text, or one made from the run. */
export type HookText = string | ((ctrl: JobControl, error?: OrbitError) => string);

const TONES: Record<HookName, EventTone> = {
  onStart: 'info',
  onSuccess: 'good',
  onError: 'bad',
  finally: 'info',
  onPause: 'warn',
  onResume: 'info',
  onStop: 'warn',
};

/**
 * Hooks that write one line to the event log each time they fire. An `onError` line ends
 * with the run's error; other hooks that receive an error end with its code.
 */
export function loggedHooks(log: EventLog, texts: Partial<Record<HookName, HookText>>): JobHooks {
  const hooks: JobHooks = {};

  for (const [name, text] of Object.entries(texts) as [HookName, HookText][]) {
    hooks[name] = {
      ignoreError: true,
      fn: (ctrl, error) => {
        const base = typeof text === 'string' ? text : text(ctrl, error);
        log.add(ctrl.jobId, name, base + errorSuffix(name, error), toneOf(name, error));
      },
    };
  }

  return hooks;
}

/** `onError` tells the whole error; the other hooks name its code only. */
function errorSuffix(name: HookName, error: OrbitError | undefined): string {
  if (error === undefined) return '';
  return name === 'onError' ? `: ${describeError(error)}` : ` (${error.code})`;
}

function toneOf(name: HookName, error: OrbitError | undefined): EventTone {
  return name === 'finally' && error !== undefined ? 'bad' : TONES[name];
}
