import type { EventEmitter } from '../events/event-emitter.js';
import type { MissReason, PoolEventName, PoolEvents } from '../events/pool-events.js';
import type { Logger, LogMeta } from './logger.js';

type Level = 'debug' | 'info' | 'warn';

/** What each reason for missed instants means, in words a reader of the log acts on. */
const MISSED: Readonly<Record<MissReason, string>> = {
  late: 'due instants missed: the run started late, after later instants fell due',
  misfire:
    'due instants missed: they fell due while no pool ran the job (a startAt in the past, ' +
    'or the process was down); the misfire policy chose which of them run',
};

/** The level and message of each event: changes of state at debug, trouble at warn. */
const LINES: { readonly [K in PoolEventName]: (event: PoolEvents[K]) => [Level, string] } = {
  'run:started': () => ['debug', 'run started'],
  'run:succeeded': () => ['debug', 'run succeeded'],
  'run:failed': () => ['warn', 'run failed'],
  'run:retried': () => ['debug', 'run will be retried'],
  'run:skipped': () => ['debug', 'due instants skipped: the previous run was still going'],
  'run:missed': (event) => ['warn', MISSED[event.reason]],
  'hook:failed': (event) => [event.ignored ? 'debug' : 'warn', `hook ${event.hook} failed`],
  'job:added': () => ['debug', 'job added'],
  'job:removed': () => ['debug', 'job removed'],
  'job:paused': () => ['debug', 'job paused'],
  'job:pause-withdrawn': () => ['debug', 'pause withdrawn: the job reached no checkpoint'],
  'job:resumed': () => ['debug', 'job resumed'],
  'job:stopped': () => ['debug', 'job stopped'],
  'job:ended': (event) => [
    event.reason === 'failed' ? 'warn' : 'debug',
    event.reason === 'failed' ? 'job ended: it failed and has no retry left' : 'job ended',
  ],
  'pool:started': () => ['info', 'pool started'],
  'pool:killed': () => ['info', 'pool killed'],
};

/**
 * Writes every event of a pool to `logger`: state changes at `debug`, failed runs,
 * failing hooks and missed instants at `warn`, the pool's start and end at `info`.
 * The event's payload is the line's metadata.
 */
export function logPoolEvents(events: EventEmitter<PoolEvents>, logger: Logger): void {
  for (const name of Object.keys(LINES) as PoolEventName[]) subscribe(events, logger, name);
}

function subscribe(events: EventEmitter<PoolEvents>, logger: Logger, name: PoolEventName): void {
  const line = LINES[name] as (event: PoolEvents[PoolEventName]) => [Level, string];
  events.on(name, (event: PoolEvents[PoolEventName]) => {
    const [level, message] = line(event);
    const meta: LogMeta = Object.assign({ event: name }, event as unknown as LogMeta);
    // A stop's reason is an error that is no failure: its code says all there is.
    if ('reason' in event && typeof event.reason === 'object') meta.reason = event.reason.code;
    logger[level](message, meta);
  });
}
