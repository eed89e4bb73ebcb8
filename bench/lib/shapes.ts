import { performance } from 'node:perf_hooks';
import { type Collection, type Db, type Document, type Filter, ObjectId } from 'mongodb';
import { CATEGORIES } from './seed.ts';

export interface ShapeCost {
  shape: string;
  /** Where the services use this shape. */
  usedBy: string;
  /** The collection it ran on (the services' own, with the indexes they create). */
  collection?: string;
  /** Mean ms of one query, one at a time (no concurrency). */
  ms: number;
  /** The winning plan from the server's standard `explain`, outermost stage first, e.g. `LIMIT → FETCH → IXSCAN category_id`. */
  plan?: string;
  /** From explain's executionStats: index keys and documents the server looked at, and documents returned. */
  keysExamined?: number;
  docsExamined?: number;
  returned?: number;
  /** Documents the filter matches in all (countDocuments), whatever the limit. */
  matched?: number;
  /** FerretDB's own explain (reports before the move to secantusd-rs): whether the filter ran inside its SQLite storage. */
  pushdown?: boolean;
}

interface Shape {
  shape: string;
  usedBy: string;
  collection: Collection<Document>;
  filter: () => Filter<Document>;
  sort?: Document;
  limit: number;
}

/**
 * A winning plan as a chain of stages, outermost first, each leaf with its index:
 * `LIMIT → FETCH → IXSCAN category_id`, `EXPRESS_IXSCAN _id_`, `COLLSCAN`. Stages with
 * several inputs (OR, AND_SORTED) list them in brackets.
 */
export function planOf(explain: Document): string | undefined {
  const winning = explain.queryPlanner?.winningPlan as Document | undefined;
  if (!winning) return undefined;
  const describe = (stage: Document | undefined): string => {
    if (!stage) return '?';
    const name = `${stage.stage ?? '?'}${stage.indexName ? ` ${stage.indexName}` : ''}`;
    if (stage.inputStage) return `${name} → ${describe(stage.inputStage as Document)}`;
    if (Array.isArray(stage.inputStages)) return `${name} [${(stage.inputStages as Document[]).map(describe).join(' | ')}]`;
    return name;
  };
  // MongoDB's slot-based engine nests the tree under queryPlan.
  return describe((winning.queryPlan as Document | undefined) ?? winning);
}

/**
 * What one query of each shape the services use costs on the MongoDB-wire server at the
 * current collection size, timed one at a time on the services' own collections (product-service's
 * products, inventory-service's stock, with the indexes the services created), and how the server
 * says it runs it: the winning plan and the keys and documents examined, from standard `explain`,
 * plus how many documents the filter matches in all. A query an index serves examines about as
 * many documents as it returns whatever the collection's size; a COLLSCAN examines the collection;
 * a server that applies the limit only after reading every match pays for the matches.
 *
 * Each shape runs at least `minReps` times and then until `budgetMs` has passed (at most `maxReps`).
 */
export async function queryShapes(
  dbs: { product: Db; inventory: Db },
  ids: string[],
  { minReps = 5, maxReps = 200, budgetMs = 1500 }: { minReps?: number; maxReps?: number; budgetMs?: number } = {},
): Promise<ShapeCost[]> {
  const products = dbs.product.collection('products');
  const stock = dbs.inventory.collection('stock');
  const anyId = () => ids[Math.floor(Math.random() * ids.length)] as string;
  const shapes: Shape[] = [
    {
      shape: '{_id}',
      usedBy: 'baseline findOne; lookups by id: orders, payments, users, an outbox kick',
      collection: products,
      filter: () => ({ _id: new ObjectId(anyId()) }),
      limit: 1,
    },
    {
      shape: '{_id, deletedAt: {$exists: false}}',
      usedBy: 'product-service findById: GET /product/{id}, add-to-cart and order pricing',
      collection: products,
      filter: () => ({ _id: new ObjectId(anyId()), deletedAt: { $exists: false } }),
      limit: 1,
    },
    {
      shape: 'stock {productId}',
      usedBy: 'inventory-service stock of a product: GET /inventory/{id} (product-service calls it per GET /product/{id})',
      collection: stock,
      filter: () => ({ productId: anyId() }),
      limit: 1,
    },
    {
      shape: 'stock {productId, available: {$gte: 1}}',
      usedBy: 'the filter of a guarded stock write (a hold: enough available), timed as a find',
      collection: stock,
      filter: () => ({ productId: anyId(), available: { $gte: 1 } }),
      limit: 1,
    },
    {
      shape: '{category, deletedAt: {$exists: false}} sorted by _id, limit 51',
      usedBy: 'GET /product?category= (a page of 50 and one more to know whether there is a next)',
      collection: products,
      filter: () => ({ category: CATEGORIES[Math.floor(Math.random() * CATEGORIES.length)], deletedAt: { $exists: false } }),
      sort: { _id: 1 },
      limit: 51,
    },
    {
      shape: "{'outbox.0': {$exists: true}}",
      usedBy: 'outbox relay safety-net scan (each OUTBOX_POLL_MS, 30 s), limit 100',
      collection: products,
      filter: () => ({ 'outbox.0': { $exists: true } }),
      limit: 100,
    },
    {
      shape: '{name} (no index)',
      usedBy: 'none: a field no index covers, for contrast',
      collection: products,
      filter: () => ({ name: `Bench product ${Math.floor(Math.random() * ids.length)}` }),
      limit: 1,
    },
  ];
  const costs: ShapeCost[] = [];
  for (const s of shapes) {
    const find = () => s.collection.find(s.filter(), { limit: s.limit, ...(s.sort ? { sort: s.sort } : {}) });
    const started = performance.now();
    let reps = 0;
    while (reps < minReps || (reps < maxReps && performance.now() - started < budgetMs)) {
      await find().toArray();
      reps++;
    }
    const ms = (performance.now() - started) / reps;
    const cost: ShapeCost = { shape: s.shape, usedBy: s.usedBy, collection: s.collection.collectionName, ms };
    try {
      const explain = await find().explain('executionStats');
      const plan = planOf(explain);
      const stats = explain.executionStats as Document | undefined;
      if (plan) cost.plan = plan;
      if (stats) {
        cost.keysExamined = Number(stats.totalKeysExamined);
        cost.docsExamined = Number(stats.totalDocsExamined);
        cost.returned = Number(stats.nReturned);
      }
    } catch {}
    try {
      cost.matched = await s.collection.countDocuments(s.filter());
    } catch {}
    costs.push(cost);
  }
  return costs;
}
