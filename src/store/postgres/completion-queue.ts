import type { OrbitError } from '../../errors/orbit-error.js';
import type { Clock } from '../../time/clock.js';
import { Backoff } from './backoff.js';
import { completionKey, type RunCompletion } from './completion.js';
import { storeUnavailable } from './store-unavailable.js';

interface Pending {
  readonly completion: RunCompletion;
  readonly settle: (accepted: boolean) => void;
}

/**
 * Gathers the ends of runs and writes them in batches: while one batch is in flight, the
 * next one fills. A batch that fails is written again after a backoff, for as long as it
 * takes; the fence makes a repeated write harmless, and the lease keeps being renewed
 * meanwhile, so a short outage loses no result.
 */
export class CompletionQueue {
  readonly #clock: Clock;
  readonly #write: (batch: readonly RunCompletion[]) => Promise<Set<string>>;
  readonly #failed: (error: OrbitError) => void;
  readonly #backoff = new Backoff(50, 5_000);
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(
    clock: Clock,
    write: (batch: readonly RunCompletion[]) => Promise<Set<string>>,
    failed: (error: OrbitError) => void,
  ) {
    this.#clock = clock;
    this.#write = write;
    this.#failed = failed;
  }

  /** Queues the end of a run; resolves `true` when recorded, `false` if the lease was gone. */
  add(completion: RunCompletion): Promise<boolean> {
    return new Promise<boolean>((settle) => {
      this.#pending.push({ completion, settle });
      this.#flushing ??= this.#flush();
    });
  }

  /** Resolves when everything queued so far is written or refused. */
  async drained(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  async #flush(): Promise<void> {
    // Let the runs that end in this turn of the event loop join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      await this.#writeBatch(batch);
    }
    this.#flushing = undefined;
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    for (;;) {
      try {
        const accepted = await this.#write(batch.map((entry) => entry.completion));
        this.#backoff.reset();
        for (const { completion, settle } of batch) {
          settle(accepted.has(completionKey(completion.jobId, completion.fence)));
        }
        return;
      } catch (error) {
        this.#failed(storeUnavailable('recording the end of runs', error));
        await new Promise<void>((resolve) => {
          this.#clock.setTimeout(resolve, this.#backoff.nextDelayMs());
        });
      }
    }
  }
}
