import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import {
  FLAG_COUNT,
  type MessageFromThread,
  type MessageToThread,
  type ThreadData,
} from './thread-protocol.js';
import { findTypeScriptLoader, isTypeScriptExtension } from './typescript-loader.js';

/** Whoever a thread is lent to: it hears the thread's messages and its death. */
export interface ThreadUser {
  message(message: MessageFromThread): void;
  /**
   * The thread ended: by itself (crash, `process.exit`, out of memory), and `cause` says
   * how, or terminated by Orbit, and `cause` is `undefined`.
   */
  died(cause: Error | undefined): void;
}

/**
 * The thread's own code sits next to this file: `thread-entry.ts` in the sources, the
 * ES module `thread-entry.js` once built. The CommonJS build uses the ES module too, since
 * its dynamic `import()` of a job's module would be turned into a `require()`.
 */
const ENTRY_URL = new URL(
  extname(fileURLToPath(import.meta.url)) === '.ts' ? './thread-entry.ts' : './thread-entry.js',
  import.meta.url,
).href;

/**
 * Started as the thread's code: registers tsx when the entry is TypeScript (Orbit run
 * from its sources), then loads the entry. Node 20 gives `--import` loaders of the
 * parent to no worker thread, hence this step.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const start = async () => {
  for (const url of workerData.loaderUrls) {
    const api = await import(url);
    (api.register ?? api.default.register)();
  }
  await import(workerData.entryUrl);
};
start();
`;

/**
 * One worker thread of a pool. It is lent to one run at a time, and kept unreferenced
 * while idle so that idle threads never hold the process open.
 */
export class PooledThread {
  /** Threads are shared by jobs with the same resource limits. */
  readonly limitsKey: string;
  /** Flags shared with the thread; see `thread-protocol.ts`. */
  readonly flags = new Int32Array(new SharedArrayBuffer(FLAG_COUNT * 4));

  readonly #worker: Worker;
  #user: ThreadUser | undefined;
  #crash: Error | undefined;
  #terminating = false;
  #alive = true;

  constructor(
    limitsKey: string,
    resourceLimits: ResourceLimits | undefined,
    exited: (thread: PooledThread) => void,
  ) {
    this.limitsKey = limitsKey;
    const isTypeScript = isTypeScriptExtension(extname(fileURLToPath(ENTRY_URL)));
    const workerData: ThreadData = {
      flags: this.flags.buffer,
      entryUrl: ENTRY_URL,
      loaderUrls: (isTypeScript ? findTypeScriptLoader() : undefined) ?? [],
    };
    this.#worker = new Worker(BOOTSTRAP, { eval: true, workerData, resourceLimits });
    this.#worker.unref();

    this.#worker.on('message', (message: MessageFromThread) => this.#user?.message(message));
    this.#worker.on('error', (error: Error) => (this.#crash ??= error));
    this.#worker.on('messageerror', (error: Error) => {
      this.#crash ??= error;
      this.terminate();
    });
    this.#worker.on('exit', (code: number) => {
      this.#alive = false;
      const user = this.#user;
      this.#user = undefined;
      user?.died(this.#crash ?? (this.#terminating ? undefined : exitError(code)));
      exited(this);
    });
  }

  get threadId(): number {
    return this.#worker.threadId;
  }

  /** Whether the thread can take runs: alive and not being terminated. */
  get isUsable(): boolean {
    return this.#alive && !this.#terminating;
  }

  post(message: MessageToThread): void {
    this.#worker.postMessage(message);
  }

  /** Lends the thread to `user`, with both flags cleared. */
  lend(user: ThreadUser): void {
    this.#user = user;
    this.flags.fill(0);
    this.#worker.ref();
  }

  /** Takes the thread back from its user; it idles. */
  reclaim(): void {
    this.#user = undefined;
    this.#worker.unref();
  }

  /** Stops the thread wherever its code is; its user hears of it when it has exited. */
  terminate(): void {
    if (this.#terminating || !this.#alive) return;
    this.#terminating = true;
    // The 'exit' event reports the end; the promise adds nothing to it.
    this.#worker.terminate().catch(() => undefined);
  }
}

function exitError(code: number): Error {
  return new Error(`the worker thread exited with code ${code}`);
}
