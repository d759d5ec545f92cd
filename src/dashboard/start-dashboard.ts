import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardFeed } from './dashboard-feed.js';
import { createRequestHandler } from './dashboard-handler.js';
import {
  resolveDashboardOptions,
  type DashboardOptions,
  type ResolvedDashboardOptions,
} from './dashboard-options.js';
import { FleetWatch } from './fleet-watch.js';
import { EventStream } from './event-stream.js';
import { listen } from './listen.js';
import { hostForUrl } from './loopback.js';
import { RequestGuard } from './request-guard.js';

/** A running dashboard. */
export interface Dashboard {
  /** Where the page is, e.g. `http://127.0.0.1:4020/`; with port 0, the port picked. */
  readonly url: string;
  /** Ends the event streams, stops listening to the pools, and closes the server. */
  close(): Promise<void>;
}

/**
 * Serves a web page that shows every job of `pools` live (status, next run, last run,
 * counts, recent durations, saved data) with buttons to pause, resume, stop and run
 * jobs, and the JSON API behind it. It uses only the pools' public methods and events,
 * so it works with any store.
 *
 * @example
 * const dashboard = await startDashboard({ pools: [pool], port: 4020 });
 * // open dashboard.url; later:
 * await dashboard.close();
 * @throws OrbitError `INVALID_CONFIG` for bad options, and for a `host` other than a
 * loopback address without a `token`, and when the address cannot be bound (a port in
 * use), with the system's error as its cause.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const resolved = resolveDashboardOptions(options);
  const stream = new EventStream();
  const feed = new DashboardFeed(resolved.pools, {
    hasAudience: () => stream.size > 0,
    publish: (update) => stream.send('update', update),
    logger: resolved.logger,
  });
  const fleet = watchFleet(resolved, feed);
  const guard = new RequestGuard(resolved);
  const server = createServer(createRequestHandler({ options: resolved, feed, stream, guard }));

  try {
    await fleet?.start();
    await listen(server, resolved.port, resolved.host, 'the dashboard');
  } catch (error) {
    fleet?.close();
    feed.close();
    throw error;
  }

  const url = urlOf(resolved.host, server.address() as AddressInfo);
  resolved.logger.info('dashboard listening', { url, guardedByToken: guard.needsToken });
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      fleet?.close();
      return (closing ??= shutDown(server, feed, stream));
    },
  };
}

function watchFleet(
  options: ResolvedDashboardOptions,
  feed: DashboardFeed,
): FleetWatch | undefined {
  if (options.fleet === undefined) return undefined;
  const { store, refreshMs } = options.fleet;
  const fleet = new FleetWatch(store, refreshMs, options.logger, (poolIds) =>
    feed.fleetChanged(poolIds),
  );
  feed.attachFleet(fleet);
  return fleet;
}

function shutDown(server: Server, feed: DashboardFeed, stream: EventStream): Promise<void> {
  feed.close();
  stream.closeAll();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlOf(host: string, address: AddressInfo): string {
  return `http://${hostForUrl(host)}:${address.port}/`;
}
