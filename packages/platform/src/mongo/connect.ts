import { setTimeout as sleep } from 'node:timers/promises';
import { type Db, type IndexDescription, MongoClient } from 'mongodb';
import type { Logger } from '../log.ts';
import { watchMonitorChecks } from './monitor-watchdog.ts';

export interface Mongo {
  client: MongoClient;
  db: Db;
  /** True when the server answers a ping. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects, retrying with backoff while the server is not up yet (containers start in any order). */
export async function connectMongo(options: {
  uri: string;
  dbName: string;
  logger: Logger;
  timeoutMs?: number;
  /** A monitor check running longer than this gets the client reconnected (monitor-watchdog.ts). */
  stuckCheckMs?: number;
}): Promise<Mongo> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    // Retryable writes stay on (the driver's default): a write cut off by a dropped connection is
    // retried once, and the server applies it at most once.
    const client = new MongoClient(options.uri, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 });
    try {
      await client.connect();
      const db = client.db(options.dbName);
      await db.command({ ping: 1 });
      const watchdog = watchMonitorChecks({ client, logger: options.logger, stuckAfterMs: options.stuckCheckMs ?? 30_000 });
      return {
        client,
        db,
        ping: () =>
          db.command({ ping: 1 }).then(
            () => true,
            () => false,
          ),
        close: () => {
          watchdog.stop();
          return client.close();
        },
      };
    } catch (error) {
      await client.close().catch(() => {});
      if (Date.now() > deadline) throw error;
      options.logger.warn({ attempt, err: (error as Error).message }, 'MongoDB not reachable yet, retrying');
      await sleep(Math.min(250 * 2 ** attempt, 3000));
    }
  }
}

/** Creates the indexes each collection needs; safe to run on every start (existing ones are kept). */
export async function ensureIndexes(db: Db, indexes: Record<string, IndexDescription[]>): Promise<void> {
  for (const [collection, specs] of Object.entries(indexes)) await db.collection(collection).createIndexes(specs);
}

/** True for a duplicate-key error (code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
