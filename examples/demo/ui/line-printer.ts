import type { Paint } from './ansi.js';
import { formatEvent } from './event-line.js';
import type { ViewModel } from './frame.js';

/**
 * The view for output that is not a terminal (a pipe, a CI log): no redraws, one line per
 * event as it happens.
 */
export class LinePrinter {
  readonly #output: NodeJS.WritableStream;
  readonly #model: ViewModel;
  readonly #paint: Paint;
  #unfollow: (() => void) | undefined;

  constructor(output: NodeJS.WritableStream, model: ViewModel, paint: Paint) {
    this.#output = output;
    this.#model = model;
    this.#paint = paint;
  }

  start(): void {
    this.#unfollow = this.#model.log.follow((event) => {
      this.#output.write(`${formatEvent(event, this.#paint)}\n`);
    });
  }

  notify(text: string): void {
    this.#output.write(`${text}\n`);
  }

  stop(): void {
    this.#unfollow?.();
  }
}
