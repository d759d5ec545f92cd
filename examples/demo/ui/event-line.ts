import type { DemoEvent, EventTone } from '../event-log.js';
import { formatClock } from '../format.js';
import type { Paint, Style } from './ansi.js';

const TONE_STYLES: Record<EventTone, Style | undefined> = {
  info: undefined,
  good: 'green',
  bad: 'red',
  warn: 'yellow',
};

/** `12:00:05.120  check   onError    run 3 failed: ...`, coloured by tone. */
export function formatEvent(event: DemoEvent, paint: Paint): string {
  const time = paint('dim', formatClock(event.atMs, true));
  const source = paint('cyan', event.source.padEnd(7));
  const style = TONE_STYLES[event.tone];
  const label = event.label.padEnd(9);
  return `${time}  ${source} ${style === undefined ? label : paint(style, label)} ${event.text}`;
}
