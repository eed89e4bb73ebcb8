import { fromMinor } from '@shop/contracts';

/** A product as stored: the price in integer minor units (cents). */
export interface ProductRecord {
  id: string;
  name: string;
  description?: string;
  category: string;
  priceMinor: number;
  currency: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the catalog rules announce; events/outgoing.ts turns these into contract events. */
export type ProductDomainEvent = { kind: 'productCreated'; productId: string; stock: number } | { kind: 'productDeleted'; productId: string };

/** Stock as inventory-service reports it. */
export interface StockView {
  onHand: number;
  reserved: number;
  available: number;
}

/** A product as shown to clients: the price as a decimal with at most two fraction digits. */
export interface PublicProduct {
  id: string;
  name: string;
  description?: string;
  category: string;
  price: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

export function toPublicProduct(product: ProductRecord): PublicProduct {
  return {
    id: product.id,
    name: product.name,
    ...(product.description === undefined ? {} : { description: product.description }),
    category: product.category,
    price: fromMinor(product.priceMinor),
    currency: product.currency,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/** What `q` searches: name and description, case-insensitively. */
export function searchText(product: Pick<ProductRecord, 'name' | 'description'>): string {
  return `${product.name}\n${product.description ?? ''}`.toLowerCase();
}
