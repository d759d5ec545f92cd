import type pg from 'pg';

/**
 * Runs `work` on a client checked out of `db`, then gives it back. While checked out, a
 * client reports a dropped connection as an `'error'` event that the pool no longer
 * listens to; unheard, it would crash the process. Here it is heard, and the failing
 * query rejects as usual. A client whose work failed is discarded rather than reused.
 */
export async function withClient<T>(
  db: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  let broken: Error | undefined;
  const heard = (error: Error): void => {
    broken = error;
  };
  client.on('error', heard);
  try {
    const result = await work(client);
    client.removeListener('error', heard);
    client.release(broken);
    return result;
  } catch (error) {
    client.removeListener('error', heard);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
