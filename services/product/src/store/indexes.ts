import { ensureIndexes } from '@shop/platform/mongo/connect';
import type { Db, IndexDescription } from 'mongodb';

/**
 * `ensureIndexes`, one index per call: FerretDB 1.24 panics (and drops the connection) on a
 * createIndexes of several specs that all exist already, which is every restart.
 */
export async function ensureIndexesOneByOne(db: Db, indexes: Record<string, IndexDescription[]>): Promise<void> {
  for (const [collection, specs] of Object.entries(indexes)) {
    for (const spec of specs) await ensureIndexes(db, { [collection]: [spec] });
  }
}
