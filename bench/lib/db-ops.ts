import type { MongoClient } from 'mongodb';

/** MongoDB's operation counters (`serverStatus.opcounters`): what the services asked of the database. */
export type DbOps = Record<'insert' | 'query' | 'update' | 'delete' | 'getmore' | 'command', number>;

/**
 * Counts the database's operations over a stretch of time, from the server's own counters (both
 * MongoDB and secantusd-rs keep them): every service's reads and writes, the benchmark's own
 * lag probe and watcher aside (they use Kafka). `stop()` gives the difference; undefined when
 * the server does not report them.
 */
export async function countDbOps(client: MongoClient): Promise<{ stop(): Promise<DbOps | undefined> }> {
  const read = async (): Promise<DbOps | undefined> => {
    const status = await client
      .db('admin')
      .command({ serverStatus: 1 })
      .catch(() => undefined);
    return status?.opcounters as DbOps | undefined;
  };
  const before = await read();
  return {
    async stop() {
      const after = await read();
      if (!before || !after) return undefined;
      return Object.fromEntries(Object.entries(after).map(([op, n]) => [op, Number(n) - Number(before[op as keyof DbOps] ?? 0)])) as DbOps;
    },
  };
}
