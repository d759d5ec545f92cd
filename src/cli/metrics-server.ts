import { listen } from '../dashboard/listen.js';
import { hostForUrl } from '../dashboard/loopback.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ListenAddress } from './listen-address.js';

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** Where the metrics are served, as `http://HOST:PORT/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the registry's metrics at `GET /metrics` in the Prometheus text format. */
export async function serveMetrics(
  registry: Registry,
  address: ListenAddress,
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(`metrics failed: ${String(error)}\n`),
    );
  });

  await listen(server, address.port, address.host, 'the metrics endpoint');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostForUrl(address.host)}:${port}/metrics`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
