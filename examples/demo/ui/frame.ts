import type { Clock, JobState } from '../../../src/index.js';
import type { EventLog } from '../event-log.js';
import { formatClock, formatMs } from '../format.js';
import { describeSummary } from '../scan/analyzer.js';
import type { ScanResults } from '../scan/scan-results.js';
import type { Paint } from './ansi.js';
import { formatEvent } from './event-line.js';
import { renderStatusTable, type TableJob } from './status-table.js';

/** Everything a frame of the view shows. */
export interface ViewModel {
  clock: Clock;
  /** What the demo is doing, in a few words. */
  title: string;
  jobs: readonly TableJob[];
  readStates(): Readonly<Record<string, JobState | undefined>>;
  results: ScanResults;
  reportPath: string;
  log: EventLog;
}

/** The key help line. */
export const KEY_HELP = 'p pause scan · r resume · s stop · g go again · q quit';

/** The lines of one frame: header, job table, latest result, recent events. */
export function renderFrame(model: ViewModel, paint: Paint, eventCount: number): string[] {
  const time = formatClock(model.clock.now());
  const header = `${paint('bold', 'Orbit demo')} · ${time} · ${model.title}`;

  return [
    header,
    '',
    ...renderJobs(model, paint),
    '',
    paint('bold', 'Events'),
    ...model.log.recent(eventCount).map((event) => formatEvent(event, paint)),
  ];
}

/** The job table, then the latest finished scan and where the report goes. */
export function renderJobs(model: ViewModel, paint: Paint): string[] {
  const table = renderStatusTable(model.jobs, model.readStates(), model.clock.now(), paint);
  return [...table, '', ...renderOutcome(model, paint)];
}

function renderOutcome(model: ViewModel, paint: Paint): string[] {
  const latest = model.results.latest;
  const scan =
    latest === undefined
      ? paint('dim', 'none finished yet')
      : `${formatClock(latest.finishedAt.getTime())} in ${formatMs(latest.durationMs)}: ` +
        describeSummary(latest.summary);

  return [
    `${paint('bold', 'last scan')}  ${scan}`,
    `${paint('bold', 'summary')}    ${model.reportPath}`,
  ];
}
