import pg from 'pg';
import type { Logger } from '../../logging/logger.js';
import type { Clock, TimerHandle } from '../../time/clock.js';
import { Backoff } from './backoff.js';
import { parseChannelMessage, type ChangeMessage } from './control.js';
import type { TableNames } from './schema-name.js';
import { storeUnavailable } from './store-unavailable.js';

/** What the listener reports to its owner. */
export interface ListenerHandlers {
  message(message: ChangeMessage): void;
  /** A process joined or left `pool`. */
  membersChanged(pool: string): void;
  /**
   * The listener (re)connected. Notifications sent while it was away are not replayed,
   * so the owner reads the state it cares about again.
   */
  connected(): void;
}

/**
 * Holds one dedicated connection that `LISTEN`s on the schema's channel. A dropped
 * connection is reopened with backoff, for ever, until {@link ControlListener.close}.
 */
export class ControlListener {
  readonly #config: pg.ClientConfig;
  readonly #tables: TableNames;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #handlers: ListenerHandlers;
  readonly #backoff = new Backoff(100, 10_000);
  #client: pg.Client | undefined;
  #retryTimer: TimerHandle | undefined;
  #closed = false;

  constructor(
    config: pg.ClientConfig,
    tables: TableNames,
    deps: { clock: Clock; logger: Logger },
    handlers: ListenerHandlers,
  ) {
    this.#config = config;
    this.#tables = tables;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#handlers = handlers;
  }

  /** Connects; resolves once listening, or after the first failure (retries go on). */
  async open(): Promise<void> {
    await this.#connect();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer !== undefined) this.#clock.clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;

    const client = new pg.Client({ ...this.#config, keepAlive: true });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    client.on('notification', (note) => this.#deliver(note));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#tables.channel}"`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }

    // close() may have been called while connecting.
    if (this.isClosed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#backoff.reset();
    this.#handlers.connected();
  }

  #deliver(note: pg.Notification): void {
    if (note.channel !== this.#tables.channel || note.payload === undefined) return;
    const message = parseChannelMessage(note.payload);
    if (message === undefined) return;
    if ('members' in message) this.#handlers.membersChanged(message.pool);
    else this.#handlers.message(message);
  }

  #lost(client: pg.Client, error: unknown): void {
    client.removeAllListeners('end');
    client.removeAllListeners('notification');
    // A late error from a client already given up on must not be left unhandled.
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.#client === client) this.#client = undefined;
    if (this.#closed || this.#retryTimer !== undefined) return;

    this.#logger.warn('the store listener lost its connection; reconnecting', {
      error: storeUnavailable('listening for status changes', error),
    });
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#connect();
    }, this.#backoff.nextDelayMs());
  }
}
