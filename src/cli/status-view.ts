import type { Pool } from '../pool/pool.js';
import type { CliOutput, Terminal } from './cli-command.js';
import { LiveStatus } from './live-status.js';
import { renderStatusTable, type StatusHeader } from './status-table.js';

/**
 * The live status table of `orbit run` on a terminal. Log lines given to `out` stay
 * under the table, the latest few of them; those from before the table is shown too.
 */
export class StatusView {
  readonly #terminal: Terminal;
  readonly #live: LiveStatus;
  #pool: Pool | undefined;
  #header: StatusHeader | undefined;

  /** @param output an output whose `terminal` is set. */
  constructor(output: CliOutput) {
    if (output.terminal === undefined) throw new Error('StatusView needs a terminal');
    this.#terminal = output.terminal;
    this.#live = new LiveStatus(output.terminal, () => this.#render());
  }

  /** Starts drawing the table of `pool`. */
  show(pool: Pool, store: string, notes: readonly string[]): void {
    this.#pool = pool;
    this.#header = { poolId: pool.id, store, startedAtMs: Date.now(), notes };
    this.#live.start();
  }

  /** Keeps a log line under the table. */
  out(line: string): void {
    this.#live.note(line);
  }

  /** Draws a last time, if the table was shown, and stops. */
  stop(): void {
    if (this.#pool !== undefined) this.#live.stop();
  }

  #render(): string {
    if (this.#pool === undefined || this.#header === undefined) return '';
    // A terminal that reports no size (as under `script`) says 0 columns.
    const columns = this.#terminal.columns ?? 0;
    const width = columns >= 40 ? columns : 100;
    return renderStatusTable(this.#header, this.#pool.getMetrics(), Date.now(), width);
  }
}
