import type { ServerResponse } from 'node:http';
import { writeHead } from './http-responses.js';

/** A comment line this often keeps idle connections open through proxies. */
export const HEARTBEAT_MS = 15_000;

/**
 * A page that lets this much pile up unread is dropped rather than held in memory; it
 * reconnects and starts again from a fresh snapshot.
 */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/**
 * The pages listening to `/events` (server-sent events). Each message is one event
 * with a JSON payload.
 */
export class EventStream {
  readonly #clients = new Set<ServerResponse>();
  #heartbeat: NodeJS.Timeout | undefined;

  /** How many pages listen. */
  get size(): number {
    return this.#clients.size;
  }

  /**
   * Opens the stream on `response`, then sends `event` with `dataOf()` as its first
   * message: the page counts as listening while its first message is built.
   */
  open(response: ServerResponse, event: string, dataOf: () => unknown): void {
    writeHead(response, 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.#clients.add(response);
    response.write(message(event, dataOf()));
    response.on('close', () => this.#drop(response));
    this.#heartbeat ??= setInterval(this.#beat, HEARTBEAT_MS).unref();
  }

  /** Sends `event` with `data` to every page. */
  send(event: string, data: unknown): void {
    if (this.#clients.size === 0) return;
    const text = message(event, data);
    for (const client of [...this.#clients]) {
      if (client.writableLength > MAX_UNSENT_BYTES) client.destroy();
      else client.write(text);
    }
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const client of [...this.#clients]) client.end();
    this.#clients.clear();
    this.#stopHeartbeat();
  }

  #drop(response: ServerResponse): void {
    this.#clients.delete(response);
    if (this.#clients.size === 0) this.#stopHeartbeat();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  readonly #beat = (): void => {
    for (const client of this.#clients) client.write(': keep-alive\n\n');
  };
}

/** One message: JSON never holds a raw line break, so `data` takes one line. */
function message(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
