import { hostname } from 'node:os';

/** How a store names this process in run records: `host:pid`. */
export function processNodeName(): string {
  return `${hostname()}:${process.pid}`;
}
