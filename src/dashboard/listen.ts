import type { Server } from 'node:http';
import { describeThrown, OrbitError } from '../errors/orbit-error.js';

/**
 * Binds `server` to `host:port`. An address that cannot be bound (a port in use, a host
 * that is not this machine's) is a bad option: it rejects with `INVALID_CONFIG`, the
 * system's error as its cause. `what` names the server in the message.
 */
export function listen(server: Server, port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const refuse = (error: unknown) => {
      const message = `${what} cannot listen on ${host}:${port}: ${describeThrown(error)}`;
      reject(new OrbitError('INVALID_CONFIG', message, { cause: error }));
    };
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
}

/** The system's error behind a refusal of {@link listen}, or `undefined` for another error. */
export function listenFailure(error: unknown): unknown {
  if (!(error instanceof OrbitError)) return undefined;
  const cause = error.cause as { syscall?: unknown } | undefined;
  return cause?.syscall === 'listen' ? cause : undefined;
}
