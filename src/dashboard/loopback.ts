import { BlockList, isIP } from 'node:net';
import { hostname } from 'node:os';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * Whether `host` names the loopback interface: `localhost`, an address in 127.0.0.0/8,
 * or `::1` (brackets allowed). Anything else, `0.0.0.0` and `::` included, can be
 * reached from other machines.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;

  const family = isIP(bare);
  if (family === 0) return false;
  return LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** A `Host` header: a name or an address (IPv6 in brackets), then an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

/**
 * Whether a request's `Host` header names the loopback interface. A page served from
 * another name that resolves to 127.0.0.1 (DNS rebinding) sends its own name here.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  const hostname = HOST_HEADER.exec(header ?? '')?.[1];
  return hostname !== undefined && isLoopbackHost(hostname);
}

/** The addresses that mean "every interface": no browser can open them. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * `host` as it goes into a URL that a person can open: IPv6 addresses in brackets, and
 * this machine's name for a server on every interface (`0.0.0.0`, `::`).
 */
export function hostForUrl(host: string): string {
  if (WILDCARDS.has(host)) return hostname();
  return isIP(host) === 6 ? `[${host}]` : host;
}
