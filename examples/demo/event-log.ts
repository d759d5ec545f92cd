import type { Clock } from '../../src/index.js';

/** How an event reads: neutral, good news, bad news, or worth a look. */
export type EventTone = 'info' | 'good' | 'bad' | 'warn';

/** One line of the demo's event log. */
export interface DemoEvent {
  atMs: number;
  /** The job it is about, or `demo` for the app itself. */
  source: string;
  /** A short tag: a hook name, `progress`, `key`, ... */
  label: string;
  text: string;
  tone: EventTone;
}

/** A bounded log of what happened, that views read and follow. */
export class EventLog {
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #events: DemoEvent[] = [];
  readonly #listeners = new Set<(event: DemoEvent) => void>();

  constructor(clock: Clock, capacity = 200) {
    this.#clock = clock;
    this.#capacity = capacity;
  }

  /** Records an event and tells every listener. */
  add(source: string, label: string, text: string, tone: EventTone = 'info'): void {
    const event = { atMs: this.#clock.now(), source, label, text, tone };
    this.#events.push(event);
    if (this.#events.length > this.#capacity) this.#events.shift();

    for (const listener of this.#listeners) listener(event);
  }

  /** The latest `count` events, oldest first. */
  recent(count: number): readonly DemoEvent[] {
    return this.#events.slice(-count);
  }

  /** Every event recorded so far that is still kept, oldest first. */
  all(): readonly DemoEvent[] {
    return [...this.#events];
  }

  /** Calls `listener` for every later event; returns a function that stops that. */
  follow(listener: (event: DemoEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
