import { ensureIndexes } from '@shop/platform/mongo/connect';
import { type Db, type IndexDescription, MongoClient, type MongoClientOptions } from 'mongodb';
import { testEnv } from './env.ts';
import type { Hooks } from './support.ts';

/**
 * A database of its own on the test server, with `indexes` created; dropped after the test.
 * `clientOptions` go to its client (`db.client`), e.g. `monitorCommands` (see explain.ts).
 */
export async function testDatabase(t: Hooks, indexes: Record<string, IndexDescription[]> = {}, clientOptions: MongoClientOptions = {}): Promise<Db> {
  const env = testEnv();
  const client = await MongoClient.connect(env.MONGO_URI as string, clientOptions);
  const db = client.db(env.MONGO_DB);
  t.after(async () => {
    await db.dropDatabase();
    await client.close();
  });
  await ensureIndexes(db, indexes);
  return db;
}
