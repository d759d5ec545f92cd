import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON. */
  json(): unknown;
  /** The status and the `code` of a JSON error body, to compare in one go. */
  problem(): [number, unknown];
}

/** Options of {@link httpRequest}. */
export interface HttpRequestOptions {
  method?: string;
  /** Sent as given: `Host` and `Origin` too, as a browser or an attacker may send them. */
  headers?: Record<string, string>;
}

/**
 * One request with node's own client, which, unlike `fetch`, lets a test set any header.
 * Tests only ever connect to loopback addresses.
 */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false,
    });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      void readAll(response).then((text) => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          json: () => JSON.parse(text) as unknown,
          problem: () => [response.statusCode ?? 0, (JSON.parse(text) as { code?: unknown }).code],
        });
      }, reject);
    });
    outgoing.end();
  });
}

async function readAll(response: IncomingMessage): Promise<string> {
  let text = '';
  response.setEncoding('utf8');
  for await (const chunk of response) text += chunk as string;
  return text;
}

/** One message of a server-sent event stream. */
export interface StreamMessage {
  event: string;
  data: unknown;
}

/** A server-sent event stream as a test reads it. */
export interface EventStreamReader {
  /** The status of the answer that opened the stream. */
  readonly status: number;
  /** The next message of `event` that `accept` takes, waiting for it if need be. */
  next(event: string, accept?: (data: unknown) => boolean): Promise<unknown>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens `url` as an event stream; resolves once the answer's headers arrived. */
export function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamReader> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers });
    outgoing.on('error', reject);
    outgoing.on('response', (response) =>
      resolve(streamReader(response, () => outgoing.destroy())),
    );
    outgoing.end();
  });
}

function streamReader(response: IncomingMessage, destroy: () => void): EventStreamReader {
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const message = parseMessage(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (message !== undefined) messages.push(message);
    }
    for (const wake of [...waiters]) wake();
  });
  const ended = new Promise<void>((resolve) => response.on('end', resolve));

  const next = (event: string, accept: (data: unknown) => boolean = () => true) =>
    new Promise<unknown>((resolve) => {
      const look = () => {
        const index = messages.findIndex((m) => m.event === event && accept(m.data));
        if (index < 0) return;
        waiters.delete(look);
        resolve(messages.splice(0, index + 1)[index]?.data);
      };
      waiters.add(look);
      look();
    });

  return { status: response.statusCode ?? 0, next, ended, close: destroy };
}

function parseMessage(block: string): StreamMessage | undefined {
  const event = /^event: (.*)$/m.exec(block)?.[1];
  const data = /^data: (.*)$/m.exec(block)?.[1];
  if (event === undefined || data === undefined) return undefined;
  return { event, data: JSON.parse(data) as unknown };
}
