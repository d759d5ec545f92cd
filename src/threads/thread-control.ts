import type { MessagePort } from 'node:worker_threads';
import { invalidConfig, isPlainObject } from '../config/checks.js';
import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import type { JobControl, JobData } from '../job/job-config.js';
import {
  ABORT_CODES,
  ABORT_FLAG,
  PAUSE_FLAG,
  type AbortNotice,
  type CheckpointReply,
  type DataNotice,
  type RunRequest,
} from './thread-protocol.js';

interface CheckpointWaiter {
  resolve(taken: boolean): void;
  reject(reason: unknown): void;
}

/**
 * The {@link JobControl} a job receives inside a worker thread. It keeps a copy of the
 * run's data and forwards every call to the pool. `pauseRequested`, `signal` and
 * `checkpoint()` also read the flags shared with the pool, so a job that computes
 * without awaiting sees a pause or an abort as soon as it reads them.
 */
export class ThreadControl implements JobControl {
  readonly runId: number;
  readonly jobId: string;
  readonly fence: number;
  readonly scheduledAt: Date;

  readonly #port: MessagePort;
  readonly #flags: Int32Array;
  readonly #controller = new AbortController();
  readonly #checkpoints = new Map<number, CheckpointWaiter>();
  #nextCheckpointId = 0;
  #data: JobData;

  constructor(request: RunRequest, port: MessagePort, flags: Int32Array) {
    this.runId = request.runId;
    this.jobId = request.jobId;
    this.fence = request.fence;
    this.scheduledAt = new Date(request.scheduledAtMs);
    this.#data = request.data;
    this.#port = port;
    this.#flags = flags;
  }

  get signal(): AbortSignal {
    this.#syncAbort();
    return this.#controller.signal;
  }

  get pauseRequested(): boolean {
    return !this.signal.aborted && Atomics.load(this.#flags, PAUSE_FLAG) === 1;
  }

  saveData(data: JobData): void {
    const given: unknown = data;
    if (!isPlainObject(given)) throw invalidConfig('saveData argument', 'a plain object', data);

    try {
      this.#port.postMessage({ type: 'save', runId: this.runId, data });
    } catch (error) {
      throw new OrbitError(
        'INVALID_CONFIG',
        `saveData argument must be copyable out of a worker thread: ${describeThrown(error)}`,
        { jobId: this.jobId, cause: error },
      );
    }
    this.#data = { ...this.#data, ...data };
  }

  getData(): JobData {
    return { ...this.#data };
  }

  checkpoint(): Promise<boolean> {
    if (!this.pauseRequested) return Promise.resolve(false);

    const checkpointId = ++this.#nextCheckpointId;
    this.#port.postMessage({ type: 'checkpoint', runId: this.runId, checkpointId });
    return new Promise<boolean>((resolve, reject) => {
      this.#checkpoints.set(checkpointId, { resolve, reject });
    });
  }

  /** Takes a message from the pool about this run. */
  receive(message: AbortNotice | CheckpointReply | DataNotice): void {
    if (message.type === 'data') {
      this.#data = { ...message.data };
    } else if (message.type === 'abort') {
      const { code, message: text } = message;
      this.#abort(new OrbitError(code, text, { jobId: this.jobId }));
    } else {
      this.#answerCheckpoint(message);
    }
  }

  #answerCheckpoint(reply: CheckpointReply): void {
    const waiter = this.#checkpoints.get(reply.checkpointId);
    if (waiter === undefined) return;

    this.#checkpoints.delete(reply.checkpointId);
    if (reply.outcome === 'aborted') waiter.reject(this.signal.reason);
    else waiter.resolve(reply.outcome === 'resumed');
  }

  /** Aborts from the shared flag when the pool's message has not arrived yet. */
  #syncAbort(): void {
    const index = Atomics.load(this.#flags, ABORT_FLAG);
    const code = ABORT_CODES[index - 1];
    if (code === undefined || this.#controller.signal.aborted) return;
    this.#abort(
      new OrbitError(code, `job '${this.jobId}' was aborted (${code})`, { jobId: this.jobId }),
    );
  }

  #abort(reason: OrbitError): void {
    if (this.#controller.signal.aborted) return;

    this.#controller.abort(reason);
    for (const waiter of this.#checkpoints.values()) waiter.reject(reason);
    this.#checkpoints.clear();
  }
}
