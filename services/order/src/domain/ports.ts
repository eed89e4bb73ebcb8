import type { CatalogPrice } from './money.ts';
import type { OrderChanges, OrderDomainEvent, OrderRecord } from './order.ts';

/** Orders in storage; every write is one single-document operation. */
export interface OrderStore {
  newId(): string;
  /** Inserts (a draft: nobody hears of it); with an idempotency key already used by this user, returns that first order instead. */
  insert(order: OrderRecord): Promise<{ order: OrderRecord; created: boolean }>;
  findById(id: string): Promise<OrderRecord | null>;
  findByKey(userId: string, idempotencyKey: string): Promise<OrderRecord | null>;
  /** Removes a draft (an order nobody has heard of); a no-op once the order has been announced. */
  discardDraft(id: string): Promise<void>;
  /** A user's orders (drafts left out), newest first, before the cursor id. */
  listByUser(userId: string, limit: number, beforeId?: string): Promise<OrderRecord[]>;
  /** Applies changes and queues the events (and bumps the version) only if the order is still pending at `version`; null when someone else wrote first. */
  update(id: string, version: number, changes: OrderChanges, events: OrderDomainEvent[]): Promise<OrderRecord | null>;
  /**
   * Pending orders unchanged since `before` that the sweeper can move on: all but drafts and those
   * paid and waiting for inventory, which are included only once created before `deadline`. Oldest first.
   */
  findStale(before: Date, deadline: Date, limit: number): Promise<OrderRecord[]>;
}

export interface Users {
  exists(userId: string): Promise<boolean>;
}

export interface Carts {
  /** The user's cart, or null when there is none. */
  get(userId: string): Promise<{ id: string; items: { productId: string; quantity: number }[]; mark?: string } | null>;
}

export interface Catalog {
  /** The current prices of these products, in one call; unknown or deleted ones are left out. */
  prices(productIds: string[]): Promise<CatalogPrice[]>;
}

export interface ShortItem {
  productId: string;
  requested: number;
  available: number;
}

/**
 * What a reservation attempt came to. `not-reached`: inventory-service never received it, so
 * nothing is held. Any other failure (a timeout, an answer cut off) is thrown: its outcome is unknown.
 */
export type ReserveResult =
  | { outcome: 'reserved'; reservationId: string }
  | { outcome: 'short'; shortItems: ShortItem[] }
  | { outcome: 'not-reached'; error: Error };

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
  /** Charges the order once (payment-service is idempotent by orderId: asked again, it tells the first outcome); throws AppError on a refusal. */
  charge(request: { orderId: string; userId: string; reservationId: string; amountMinor: number; currency: string; method: string }): Promise<PaymentView>;
}
