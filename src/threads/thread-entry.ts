import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { OrbitError } from '../errors/orbit-error.js';
import type { JobFn } from '../job/job-config.js';
import { packThrown, packUncloneable } from './packed-thrown.js';
import { ThreadControl } from './thread-control.js';
import type { MessageToThread, RunRequest, ThreadData } from './thread-protocol.js';

/**
 * The code of a worker thread: it waits for runs, imports each job's module once, calls
 * its export with a {@link ThreadControl}, and reports how the call ended.
 */
class ThreadHost {
  readonly #port: MessagePort;
  readonly #flags: Int32Array;
  #loaderRegistered: boolean;
  #current: ThreadControl | undefined;

  constructor(port: MessagePort, data: ThreadData) {
    this.#port = port;
    this.#flags = new Int32Array(data.flags);
    this.#loaderRegistered = data.loaderUrls.length > 0;
  }

  listen(): void {
    this.#port.on('message', (message: MessageToThread) => {
      if (message.type === 'run') void this.#run(message);
      else if (this.#current?.runId === message.runId) this.#current.receive(message);
    });
  }

  async #run(request: RunRequest): Promise<void> {
    const control = new ThreadControl(request, this.#port, this.#flags);
    this.#current = control;
    let failed = false;
    let thrown: unknown;
    try {
      const fn = await this.#load(request);
      // Aborted while the thread started or the module loaded: the job has no time left.
      control.signal.throwIfAborted();
      await fn(control);
    } catch (error) {
      failed = true;
      thrown = error;
    }

    if (this.#current === control) this.#current = undefined;
    this.#reportDone(request.runId, failed, thrown);
  }

  async #load(request: RunRequest): Promise<JobFn> {
    const { moduleUrl, exportName, loaderUrls } = request;
    if (loaderUrls !== undefined && !this.#loaderRegistered) {
      for (const url of loaderUrls) await registerLoader(url);
      this.#loaderRegistered = true;
    }

    const namespace = (await import(moduleUrl)) as Record<string, unknown>;
    const direct = namespace[exportName];
    const fn =
      typeof direct === 'function' ? direct : exportOfCommonJs(namespace.default, exportName);
    if (typeof fn !== 'function') {
      throw new OrbitError(
        'INVALID_CONFIG',
        `worker module ${moduleUrl} has no function exported as '${exportName}'`,
        { jobId: request.jobId },
      );
    }
    return fn as JobFn;
  }

  #reportDone(runId: number, failed: boolean, thrown: unknown): void {
    if (!failed) {
      this.#port.postMessage({ type: 'done', runId });
      return;
    }

    try {
      this.#port.postMessage({ type: 'done', runId, failure: packThrown(thrown) });
    } catch {
      this.#port.postMessage({ type: 'done', runId, failure: packUncloneable(thrown) });
    }
  }
}

/**
 * A CommonJS module's exports sit under `default` when imported; a transpiled one keeps
 * its own default export there as `default` again.
 */
function exportOfCommonJs(moduleExports: unknown, exportName: string): unknown {
  if (typeof moduleExports !== 'object' || moduleExports === null) return undefined;
  return (moduleExports as Record<string, unknown>)[exportName];
}

/** Registers one half of tsx in this thread, for a job module written in TypeScript. */
async function registerLoader(loaderUrl: string): Promise<void> {
  type Api = { register?: () => unknown };
  const api = (await import(loaderUrl)) as Api & { default?: Api };
  (api.register ?? api.default?.register)?.();
}

if (parentPort !== null) new ThreadHost(parentPort, workerData as ThreadData).listen();
