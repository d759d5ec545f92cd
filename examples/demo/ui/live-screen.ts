import { fitToWidth, SCREEN, type Paint } from './ansi.js';
import { KEY_HELP, renderFrame, type ViewModel } from './frame.js';

/** Lines of the frame besides the events: header, table, outcome, titles, key help. */
const FIXED_LINES = 15;
const MAX_EVENT_LINES = 8;

/**
 * A full-screen view on the terminal's alternate screen, redrawn a few times a second.
 * The terminal is given back as it was on `stop()`, and on process exit in any case.
 */
export class LiveScreen {
  readonly #output: NodeJS.WriteStream;
  readonly #model: ViewModel;
  readonly #paint: Paint;
  readonly #refreshMs: number;
  #timer: NodeJS.Timeout | undefined;
  #notice: string | undefined;
  readonly #restore = (): void => {
    this.#output.write(SCREEN.showCursor + SCREEN.leaveAlternate);
  };

  constructor(output: NodeJS.WriteStream, model: ViewModel, paint: Paint, refreshMs = 200) {
    this.#output = output;
    this.#model = model;
    this.#paint = paint;
    this.#refreshMs = refreshMs;
  }

  start(): void {
    this.#output.write(SCREEN.enterAlternate + SCREEN.hideCursor);
    process.once('exit', this.#restore);
    this.#output.on('resize', this.draw);
    this.#timer = setInterval(this.draw, this.#refreshMs);
    this.draw();
  }

  /** Shows `text` in place of the key help, e.g. while shutting down. */
  notify(text: string): void {
    this.#notice = text;
    this.draw();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#output.off('resize', this.draw);
    process.off('exit', this.#restore);
    this.#restore();
  }

  readonly draw = (): void => {
    const rows = this.#output.rows || 24;
    const columns = this.#output.columns || 80;
    const eventCount = Math.max(1, Math.min(MAX_EVENT_LINES, rows - FIXED_LINES));
    const footer = this.#notice ?? KEY_HELP;

    const lines = [...renderFrame(this.#model, this.#paint, eventCount), '', footer];
    const visible = lines.slice(Math.max(0, lines.length - rows));
    const body = visible.map((line) => fitToWidth(line, columns) + SCREEN.clearLineEnd);
    this.#output.write(SCREEN.home + body.join('\n') + SCREEN.clearBelow);
  };
}
