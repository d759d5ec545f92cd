import type { Terminal } from './cli-command.js';

/** The part of a standard stream (`process.stdout`, `process.stderr`) the CLI uses. */
export interface StandardStream {
  readonly writable: boolean;
  readonly columns?: number;
  write(text: string, done?: (error?: Error | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A standard stream that may close under the CLI: the reader of a pipe goes away
 * (`orbit run | head -n 3`), or the file behind it fails. Node reports that as an
 * `error` event (`EPIPE`), which would end the process; here it only ends the writing.
 * What is written after that is dropped, and the command goes on.
 */
export class OutputStream implements Terminal {
  /** Settles once the stream has failed: nobody reads what is written any more. */
  readonly closed: Promise<void>;

  readonly #stream: StandardStream;
  #hasFailed = false;
  #settleClosed: () => void = () => undefined;

  constructor(stream: StandardStream) {
    this.#stream = stream;
    this.closed = new Promise((resolve) => (this.#settleClosed = resolve));
    stream.on('error', () => {
      this.#hasFailed = true;
      this.#settleClosed();
    });
  }

  /** Whether writing has stopped. A failed write shows here at once, its event later. */
  get isClosed(): boolean {
    return this.#hasFailed || !this.#stream.writable;
  }

  /** Its width in characters, when it is a terminal. */
  get columns(): number | undefined {
    return this.#stream.columns;
  }

  write(text: string): void {
    if (!this.isClosed) this.#stream.write(text);
  }

  /** Resolves once everything written has left, or at once when the stream is closed. */
  flush(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.#stream.write('', () => resolve()));
  }
}
