import { AppError, badRequest, conflict, notFound } from '@shop/platform/errors';
import type { InventoryDeps } from './ports.ts';
import type { StockRecord } from './stock.ts';

const ATTEMPTS = 5;

/** Refusal of a change that would leave fewer units on hand than are reserved. */
function wouldOversell(stock: StockRecord, change: string): AppError {
  return conflict(`${change} would make available stock negative`, { onHand: stock.onHand, reserved: stock.reserved, available: stock.available });
}

/** Stock records: read, created, corrected by admins or services, and following products as they come and go. */
export function createStockRules(deps: Pick<InventoryDeps, 'stock' | 'catalog'>) {
  const { stock } = deps;

  async function byId(id: string): Promise<StockRecord> {
    const record = await stock.getById(id);
    if (!record) throw notFound('Inventory record');
    return record;
  }

  /** Sets onHand by compare-and-set on the value read, so a concurrent change is never overwritten. */
  async function setOnHand(record: StockRecord, onHand: number): Promise<StockRecord> {
    let current: StockRecord | null = record;
    for (let attempt = 0; attempt < ATTEMPTS && current; attempt++) {
      if (current.onHand === onHand) return current;
      if (onHand < current.reserved) throw wouldOversell(current, `onHand ${onHand}`);
      const updated = await stock.adjust(current.productId, onHand - current.onHand, current.onHand);
      if (updated) return updated;
      current = await stock.get(current.productId);
    }
    if (!current) throw notFound('Inventory record');
    throw conflict('The stock changed while it was being set; try again');
  }

  return {
    async level(productId: string): Promise<StockRecord> {
      const record = await stock.get(productId);
      if (!record) throw notFound('Inventory record');
      return record;
    },

    /** The records of those products that have one, in one read. */
    levels(productIds: string[]): Promise<StockRecord[]> {
      return stock.getMany([...new Set(productIds)]);
    },

    async create(productId: string, quantity: number): Promise<StockRecord> {
      // Stock for a product the catalog does not know would be stock for nothing (product.created,
      // below, needs no such check: it comes from the catalog itself).
      if (!(await deps.catalog.productExists(productId))) throw new AppError('NOT_FOUND', 'Product not found', { field: 'body.productId' });
      const now = new Date();
      const record: StockRecord = {
        id: productId, // one record per product, keyed by it (see ports.ts)
        productId,
        onHand: quantity,
        reserved: 0,
        available: quantity,
        holds: [],
        discontinued: false,
        returns: [],
        createdAt: now,
        updatedAt: now,
      };
      if (!(await stock.insert(record))) throw conflict('This product already has an inventory record', { productId });
      return record;
    },

    /** Either sets onHand or adjusts it by delta; available never drops below 0 (409 instead). */
    async change(id: string, change: { onHand?: number; delta?: number }): Promise<StockRecord> {
      const record = await byId(id);
      if (change.onHand !== undefined) return setOnHand(record, change.onHand);
      const delta = change.delta ?? 0;
      if (delta === 0) throw badRequest('body.delta must not be 0', { field: 'body.delta' });
      const updated = await stock.adjust(record.productId, delta);
      if (updated) return updated;
      throw wouldOversell((await stock.get(record.productId)) ?? record, `delta ${delta}`);
    },

    async remove(id: string): Promise<void> {
      const record = await byId(id);
      const outcome = await stock.remove(record.productId);
      if (outcome === 'missing') throw notFound('Inventory record');
      if (outcome === 'held') throw conflict('Units of this product are reserved; release or commit them first', { reserved: record.reserved });
    },

    /** product.created: the record exists afterwards; a redelivery never resets its stock. */
    productCreated: (productId: string, initialStock: number) => stock.ensure(productId, initialStock),

    /** product.deleted: the record goes now, or, while units are held, once they are released or sold. */
    async productDeleted(productId: string): Promise<void> {
      if ((await stock.remove(productId)) === 'held') await stock.discontinue(productId);
    },
  };
}

export type StockRules = ReturnType<typeof createStockRules>;
