import type { Terminal } from './cli-command.js';
import type { TimerHandle } from '../time/clock.js';
import { fitWidth } from './text-table.js';

/** How often the live status is redrawn. */
export const REDRAW_INTERVAL_MS = 250;

/** The last warnings kept under the table. */
const NOTES_KEPT = 5;

/**
 * A block of text redrawn in place on a terminal: each redraw moves the cursor back to
 * the block's first line and clears below it. Warnings noted meanwhile stay under it.
 *
 * Every line is cut to the terminal's width, so none wraps and the cursor goes back by
 * exactly the rows drawn; if the terminal narrows in between, the rows the old lines now
 * take are counted. Characters are counted as one column each: wide characters (CJK,
 * emoji) in a job id can still wrap a line.
 */
export class LiveStatus {
  readonly #out: Terminal;
  readonly #render: () => string;
  readonly #notes: string[] = [];
  #drawn: readonly string[] = [];
  #timer: TimerHandle | undefined;

  constructor(out: Terminal, render: () => string) {
    this.#out = out;
    this.#render = render;
  }

  start(): void {
    this.redraw();
    this.#timer = setInterval(() => this.redraw(), REDRAW_INTERVAL_MS);
  }

  /** Keeps `line` under the table, with the few before it. */
  note(line: string): void {
    this.#notes.push(line);
    if (this.#notes.length > NOTES_KEPT) this.#notes.shift();
  }

  redraw(): void {
    const { columns } = this.#out;
    const notes = this.#notes.length === 0 ? [] : ['', ...this.#notes];
    const lines = [this.#render(), ...notes]
      .join('\n')
      .split('\n')
      .map((line) => (columns === undefined || columns < 2 ? line : fitWidth(line, columns)));
    const rows = rowsTaken(this.#drawn, columns);
    const back = rows > 0 ? `\x1b[${rows}F\x1b[J` : '';
    this.#out.write(`${back}${lines.join('\n')}\n`);
    this.#drawn = lines;
  }

  /** Draws a last time and stops redrawing. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer as ReturnType<typeof setInterval>);
    this.#timer = undefined;
    this.redraw();
  }
}

/** How many terminal rows `lines` take at `columns` characters a row. */
function rowsTaken(lines: readonly string[], columns: number | undefined): number {
  if (columns === undefined || columns < 1) return lines.length;
  return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / columns)), 0);
}
