/** The most calls one statement carries; more wait for the next statement. */
export const MAX_BATCH = 1_000;

interface Pending<In, Out> {
  readonly input: In;
  readonly resolve: (value: Out) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the calls made in one turn of the event loop and sends them as one statement:
 * a pool whose many jobs fall due together claims them in one round trip, and their ends
 * are written in one. `write` answers one output per input, in order.
 */
export class TickBatch<In, Out> {
  readonly #write: (inputs: readonly In[]) => Promise<Out[]>;
  readonly #isolate: (error: unknown) => boolean;
  #pending: Pending<In, Out>[] = [];
  #armed = false;

  /**
   * `isolate` tells a failure that one input may have caused (data the database refuses)
   * from one that fails every statement (the database is down): after the first, each
   * input is sent again on its own, so one bad input fails alone.
   */
  constructor(
    write: (inputs: readonly In[]) => Promise<Out[]>,
    isolate: (error: unknown) => boolean = () => false,
  ) {
    this.#write = write;
    this.#isolate = isolate;
  }

  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (this.#armed) return;
      this.#armed = true;
      setImmediate(this.#flush);
    });
  }

  readonly #flush = (): void => {
    this.#armed = false;
    const pending = this.#pending;
    this.#pending = [];
    for (let start = 0; start < pending.length; start += MAX_BATCH) {
      void this.#send(pending.slice(start, start + MAX_BATCH));
    }
  };

  async #send(batch: Pending<In, Out>[]): Promise<void> {
    try {
      const outputs = await this.#write(batch.map((entry) => entry.input));
      batch.forEach((entry, index) => entry.resolve(outputs[index] as Out));
    } catch (error) {
      if (batch.length > 1 && this.#isolate(error)) {
        for (const entry of batch) void this.#send([entry]);
        return;
      }
      for (const entry of batch) entry.reject(error);
    }
  }
}
