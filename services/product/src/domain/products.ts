import { toMinor } from '@shop/contracts';
import { badRequest, notFound } from '@shop/platform/errors';
import type { ProductDomainEvent, ProductRecord, StockView } from './product.ts';

export interface ProductQuery {
  category?: string;
  /** Text searched in name and description. */
  q?: string;
  /** Only these products. */
  ids?: string[];
  limit: number;
  /** The id of the last product of the previous page. */
  after?: string;
}

/** What the product rules need from storage; the MongoDB store and the unit tests' fake both provide it. */
export interface ProductStore {
  newId(): string;
  /** Inserts the product together with its events, in one write. */
  insert(product: ProductRecord, events: ProductDomainEvent[]): Promise<void>;
  findById(id: string): Promise<ProductRecord | null>;
  /** Products in id order, after `query.after`, at most `query.limit`. */
  list(query: ProductQuery): Promise<ProductRecord[]>;
  /** Applies changes; null when the product is unknown or deleted. */
  update(id: string, changes: Partial<Omit<ProductRecord, 'id' | 'createdAt'>>): Promise<ProductRecord | null>;
  /** Marks the product deleted and records the events in the same write; false when already gone. */
  remove(id: string, events: ProductDomainEvent[]): Promise<boolean>;
}

/** Reads a product's stock; null when inventory-service has no record or cannot be reached. */
export interface StockReader {
  stockOf(productId: string): Promise<StockView | null>;
}

export interface ProductDeps {
  store: ProductStore;
  stock: StockReader;
  /** Called after a write that queued events in this product's document, so they go out at once. */
  eventsQueued(id: string): void;
}

export interface NewProduct {
  name: string;
  description?: string;
  category: string;
  price: number;
  currency?: string;
  stock?: number;
}

export type ProductChanges = Partial<Omit<NewProduct, 'stock'>>;

/** Decimal on the wire, integer cents inside; a third fraction digit is refused, never rounded. */
function priceInMinor(price: number): number {
  try {
    return toMinor(price);
  } catch {
    throw badRequest('body.price must have at most two fraction digits', { field: 'body.price' });
  }
}

/** The catalog rules: products are created, listed, read with their stock, changed and deleted. */
export function createProductRules(deps: ProductDeps) {
  const { store } = deps;

  return {
    /** Writes the product and its product.created event in one insert, so the stock record follows even if inventory-service is down. */
    async create(input: NewProduct): Promise<ProductRecord> {
      const now = new Date();
      const product: ProductRecord = {
        id: store.newId(),
        name: input.name.trim(),
        ...(input.description === undefined ? {} : { description: input.description }),
        category: input.category.trim(),
        priceMinor: priceInMinor(input.price),
        currency: input.currency ?? 'USD',
        createdAt: now,
        updatedAt: now,
      };
      await store.insert(product, [{ kind: 'productCreated', productId: product.id, stock: input.stock ?? 0 }]);
      deps.eventsQueued(product.id);
      return product;
    },

    /** The product and its stock, looked up in parallel; the stock is null when inventory-service cannot say. */
    async get(id: string): Promise<{ product: ProductRecord; inventory: StockView | null }> {
      const [product, inventory] = await Promise.all([store.findById(id), deps.stock.stockOf(id)]);
      if (!product) throw notFound('Product');
      return { product, inventory };
    },

    /** One page; `nextCursor` is null on the last one. */
    async list(query: ProductQuery): Promise<{ items: ProductRecord[]; nextCursor: string | null }> {
      const found = await store.list({ ...query, limit: query.limit + 1 });
      const items = found.slice(0, query.limit);
      return { items, nextCursor: found.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },

    async update(id: string, changes: ProductChanges): Promise<ProductRecord> {
      const { price, name, category, ...rest } = changes;
      const patch: Partial<ProductRecord> = { ...rest, updatedAt: new Date() };
      if (price !== undefined) patch.priceMinor = priceInMinor(price);
      if (name !== undefined) patch.name = name.trim();
      if (category !== undefined) patch.category = category.trim();
      const updated = await store.update(id, patch);
      if (!updated) throw notFound('Product');
      return updated;
    },

    /** Deletes the product; its product.deleted event makes inventory-service remove the stock record. */
    async remove(id: string): Promise<void> {
      if (!(await store.remove(id, [{ kind: 'productDeleted', productId: id }]))) throw notFound('Product');
      deps.eventsQueued(id);
    },
  };
}

export type ProductRules = ReturnType<typeof createProductRules>;
