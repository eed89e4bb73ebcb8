import { performance } from 'node:perf_hooks';
import { type Db, type Document, type Filter, ObjectId } from 'mongodb';

export interface ShapeCost {
  shape: string;
  /** Where the services use this shape. */
  usedBy: string;
  /** Mean ms of one query, one at a time (no concurrency). */
  ms: number;
  /** FerretDB's explain: whether the filter runs inside its storage (true) or every document is decoded and matched (false). */
  pushdown?: boolean;
}

/**
 * What one query of each shape the services use costs on the MongoDB-wire server at the
 * current collection size, timed one at a time on the baseline's copy of the catalog. Explains
 * the scale figures: on a server that scans, a lookup costs in proportion to the collection.
 */
export async function queryShapes(db: Db, ids: string[], reps: number): Promise<ShapeCost[]> {
  const products = db.collection('products');
  const any = () => new ObjectId(ids[Math.floor(Math.random() * ids.length)]);
  const shapes: { shape: string; usedBy: string; filter: () => Filter<Document>; sort?: Document; limit: number }[] = [
    {
      shape: '{_id}',
      usedBy: 'baseline findOne; every lookup by id: products, users, orders, payments, stock by product, an outbox kick',
      filter: () => ({ _id: any() }),
      limit: 1,
    },
    {
      shape: '{_id, deletedAt: {$exists: false}}',
      usedBy: 'product-service findById before the fix (now `{_id}`, the tombstone checked in code)',
      filter: () => ({ _id: any(), deletedAt: { $exists: false } }),
      limit: 1,
    },
    {
      shape: '{name} (one other field, equality)',
      usedBy: 'payments by {orderId}, carts by {userId}; guarded writes (a key plus conditions)',
      filter: () => ({ name: `Bench product ${Math.floor(Math.random() * ids.length)}` }),
      limit: 1,
    },
    {
      shape: '{category} sorted by _id, limit 50',
      usedBy: 'GET /product?category=',
      filter: () => ({ category: 'bench-07', deletedAt: { $exists: false } }),
      sort: { _id: 1 },
      limit: 50,
    },
    {
      shape: "{'outbox.0': {$exists: true}}",
      usedBy: 'outbox relay safety-net scan (each OUTBOX_POLL_MS, 30 s; was every 1 s and after every write)',
      filter: () => ({ 'outbox.0': { $exists: true } }),
      limit: 0,
    },
  ];
  const costs: ShapeCost[] = [];
  for (const s of shapes) {
    const started = performance.now();
    for (let i = 0; i < reps; i++) {
      const cursor = products.find(s.filter(), { limit: s.limit });
      if (s.sort) cursor.sort(s.sort);
      await cursor.toArray();
    }
    const ms = (performance.now() - started) / reps;
    let pushdown: boolean | undefined;
    try {
      const plan = await products.find(s.filter(), { limit: s.limit }).explain();
      if (typeof plan.filterPushdown === 'boolean') pushdown = plan.filterPushdown;
    } catch {}
    costs.push({ shape: s.shape, usedBy: s.usedBy, ms, ...(pushdown === undefined ? {} : { pushdown }) });
  }
  return costs;
}
