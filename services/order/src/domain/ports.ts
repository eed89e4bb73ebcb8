import type { OutboxEntry } from '@shop/platform/mongo/outbox';
import type { CatalogPrice } from './money.ts';
import type { OrderRecord } from './order.ts';

/** Orders in storage; every write is one single-document operation. */
export interface OrderStore {
  newId(): string;
  /** Inserts with its events; with an idempotency key already used by this user, returns that first order instead. */
  insert(order: OrderRecord, events: OutboxEntry[]): Promise<{ order: OrderRecord; created: boolean }>;
  findById(id: string): Promise<OrderRecord | null>;
  findByKey(userId: string, idempotencyKey: string): Promise<OrderRecord | null>;
  /** A user's orders, newest first, before the cursor id. */
  listByUser(userId: string, limit: number, beforeId?: string): Promise<OrderRecord[]>;
  /** Applies changes (and bumps the version) only if the order is still pending at `version`; null when someone else wrote first. */
  update(id: string, version: number, changes: Partial<OrderRecord>, events: OutboxEntry[]): Promise<OrderRecord | null>;
  /**
   * Pending orders unchanged since `before` that the sweeper can move on: all but those paid and
   * waiting for inventory, which are included only once created before `deadline`. Oldest first.
   */
  findStale(before: Date, deadline: Date, limit: number): Promise<OrderRecord[]>;
}

export interface Users {
  exists(userId: string): Promise<boolean>;
}

export interface Carts {
  /** The user's cart, or null when there is none. */
  get(userId: string): Promise<{ id: string; items: { productId: string; quantity: number }[] } | null>;
}

export interface Catalog {
  /** The current price of a product, or null when it is unknown or deleted. */
  price(productId: string): Promise<CatalogPrice | null>;
}

export type ReserveResult = { ok: true; reservationId: string } | { ok: false; shortItems: unknown };

export interface Inventory {
  /** All items or none; the same orderId again gives the same reservation. */
  reserve(orderId: string, items: { productId: string; quantity: number }[]): Promise<ReserveResult>;
}

export interface PaymentView {
  id: string;
  status: 'processing' | 'success' | 'failure' | 'refunded';
  reason?: string;
}

export interface Payments {
  /** Charges the order once (payment-service is idempotent by orderId); throws AppError on a refusal. */
  charge(request: { orderId: string; userId: string; reservationId: string; amountMinor: number; method: string }): Promise<PaymentView>;
  findByOrder(orderId: string): Promise<PaymentView | null>;
}
