import type { Pool } from '../pool/pool.js';
import type { CliIo } from './command.js';
import { LiveStatus } from './live-status.js';
import { renderStatusTable, type StatusHeader } from './status-table.js';

/**
 * The live status table of `orbit run` on a terminal. Lines noted before the pool is
 * shown are kept and appear under the table once it is.
 */
export class StatusView {
  readonly #io: CliIo;
  readonly #live: LiveStatus;
  #pool: Pool | undefined;
  #header: StatusHeader | undefined;

  constructor(io: CliIo) {
    this.#io = io;
    this.#live = new LiveStatus(io.stdout, () => this.#render());
  }

  /** Starts drawing the table of `pool`. */
  show(pool: Pool, store: string, notes: readonly string[]): void {
    this.#pool = pool;
    this.#header = { poolId: pool.id, store, startedAtMs: Date.now(), notes };
    this.#live.start();
  }

  note(line: string): void {
    this.#live.note(line);
  }

  /** Draws a last time, if the table was shown, and stops. */
  stop(): void {
    if (this.#pool !== undefined) this.#live.stop();
  }

  #render(): string {
    if (this.#pool === undefined || this.#header === undefined) return '';
    // A terminal that reports no size (as under `script`) says 0 columns.
    const columns = this.#io.stdout.columns ?? 0;
    const width = columns >= 40 ? columns : 100;
    return renderStatusTable(this.#header, this.#pool.getMetrics(), Date.now(), width);
  }
}
