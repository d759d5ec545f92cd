import type { Terminal } from './cli-command.js';
import type { TimerHandle } from '../time/clock.js';

/** How often the live status is redrawn. */
export const REDRAW_INTERVAL_MS = 250;

/** The last warnings kept under the table. */
const NOTES_KEPT = 5;

/**
 * A block of text redrawn in place on a terminal: each redraw moves the cursor back to
 * the block's first line and clears below it. Warnings noted meanwhile stay under it.
 */
export class LiveStatus {
  readonly #out: Terminal;
  readonly #render: () => string;
  readonly #notes: string[] = [];
  #linesDrawn = 0;
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
    const notes = this.#notes.length === 0 ? [] : ['', ...this.#notes];
    const text = [this.#render(), ...notes].join('\n');
    const back = this.#linesDrawn > 0 ? `\x1b[${this.#linesDrawn}F\x1b[J` : '';
    this.#out.write(`${back}${text}\n`);
    this.#linesDrawn = text.split('\n').length;
  }

  /** Draws a last time and stops redrawing. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer as ReturnType<typeof setInterval>);
    this.#timer = undefined;
    this.redraw();
  }
}
