import { describe, expect, it } from 'vitest';
import { EventEmitter } from '../../src/events/event-emitter.js';
import type { MissReason, PoolEvents } from '../../src/events/pool-events.js';
import { logPoolEvents } from '../../src/logging/log-pool-events.js';
import { silentLogger } from '../../src/logging/logger.js';
import { recordingLogger, type LogLine as Line } from '../support/recording-logger.js';

function missedLine(reason: MissReason): Line | undefined {
  const lines: Line[] = [];
  const events = new EventEmitter<PoolEvents>(silentLogger);
  logPoolEvents(events, recordingLogger(lines));
  events.emit('run:missed', {
    poolId: 'p',
    jobId: 'j',
    scheduledAt: new Date(60_000),
    fence: 3,
    count: 2,
    firstAt: new Date(0),
    lastAt: new Date(30_000),
    reason,
  });
  return lines[0];
}

describe('the log line of missed due instants', () => {
  it('says a late run started after later instants fell due', () => {
    expect(missedLine('late')).toMatchObject({
      level: 'warn',
      message: 'due instants missed: the run started late, after later instants fell due',
      meta: { event: 'run:missed', reason: 'late', count: 2 },
    });
  });

  it('says a misfire fell while no pool ran the job, not only that startAt lay in the past', () => {
    const line = missedLine('misfire');

    expect(line?.level).toBe('warn');
    expect(line?.message).toBe(
      'due instants missed: they fell due while no pool ran the job (a startAt in the past, ' +
        'or the process was down); the misfire policy chose which of them run',
    );
    expect(line?.meta).toMatchObject({ reason: 'misfire' });
  });
});
