import { cliInputError } from './parse-cli-args.js';

/** Where a server listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Servers listen on the loopback interface unless a host is given. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Reads `[HOST:]PORT` (`9464`, `0.0.0.0:9464`, `[::1]:9464`); port 0 picks a free port.
 *
 * @throws OrbitError `INVALID_CONFIG` naming `flag`.
 */
export function parseListenAddress(command: string, flag: string, text: string): ListenAddress {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (match === null || port > 65_535) {
    throw cliInputError(
      command,
      `${flag} must be [HOST:]PORT with a port from 0 to 65535; got '${text}'`,
    );
  }
  const host = match[1]?.replace(/^\[(.*)\]$/, '$1') ?? DEFAULT_HOST;
  return { host, port };
}
