import type { Duration } from '../../src/index.js';
import type { EventLog } from './event-log.js';
import { describeError } from './format.js';

/** What a key asks for. */
export type KeyAction = 'pause' | 'resume' | 'stop' | 'go' | 'quit';

/** The pool's control calls that keys reach; a `Pool` has them all. */
export interface JobSwitches {
  pauseJob(id: string, timeout?: Duration): unknown;
  resumeJob(id: string): unknown;
  stopJob(id: string): unknown;
}

const KEY_ACTIONS: Readonly<Record<string, KeyAction>> = {
  p: 'pause',
  r: 'resume',
  s: 'stop',
  g: 'go',
  q: 'quit',
  '\u0003': 'quit', // Ctrl-C arrives as a character in raw mode
};

/**
 * Reads single key presses from a terminal in raw mode and reports the actions they mean.
 * Returns a function that stops listening and gives the terminal its normal mode back.
 */
export function listenForKeys(
  input: NodeJS.ReadStream,
  onAction: (action: KeyAction) => void,
): () => void {
  const onData = (chunk: string): void => {
    for (const key of chunk) {
      const action = KEY_ACTIONS[key.toLowerCase()];
      if (action !== undefined) onAction(action);
    }
  };

  input.setRawMode(true);
  input.setEncoding('utf8');
  input.on('data', onData);
  input.resume();

  return () => {
    input.off('data', onData);
    input.setRawMode(false);
    input.pause();
  };
}

/**
 * Carries out a key's action on one job and logs it; a call the pool refuses (say, pausing
 * a job that is not running) is logged with its error code, never thrown.
 */
export function switchJob(
  pool: JobSwitches,
  jobId: string,
  action: Exclude<KeyAction, 'quit'>,
  context: { log: EventLog; pauseTimeoutMs: number },
): void {
  const { log } = context;
  const refused = (error: unknown): void => {
    log.add('demo', 'key', `${action} ${jobId} refused: ${describeError(error)}`, 'warn');
  };

  log.add('demo', 'key', `${action} ${jobId}`);
  try {
    const result = callFor(pool, jobId, action, context.pauseTimeoutMs);
    if (result instanceof Promise) result.catch(refused);
  } catch (error) {
    refused(error);
  }
}

function callFor(
  pool: JobSwitches,
  id: string,
  action: Exclude<KeyAction, 'quit'>,
  pauseMs: number,
) {
  switch (action) {
    case 'pause':
      return pool.pauseJob(id, pauseMs);
    case 'stop':
      return pool.stopJob(id);
    case 'resume':
    case 'go':
      return pool.resumeJob(id);
  }
}
