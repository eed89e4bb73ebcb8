import { fromMinor } from '@shop/contracts';
import type { OrderFacts } from './decide.ts';

export type OrderStatus = 'pending' | 'confirmed' | 'failed' | 'cancelled';
/**
 * How far placing got; the sweeper reads it to finish an order a crash interrupted. A `draft`
 * holds no stock yet and nobody has heard of it (no event, not listed, 404).
 */
export type OrderStep = 'draft' | 'reserved' | 'charged';

export const isDraft = (order: Pick<OrderRecord, 'step'>) => order.step === 'draft';

export interface OrderLine {
  productId: string;
  quantity: number;
  priceMinor: number;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderRecord {
  id: string;
  userId: string;
  items: OrderLine[];
  totalMinor: number;
  currency: string;
  address: Address;
  paymentMethod: string;
  status: OrderStatus;
  step: OrderStep;
  /** What the order has heard from inventory and payment; the status is decided from these alone. */
  facts: OrderFacts;
  reason?: string;
  reservationId?: string;
  paymentId?: string;
  idempotencyKey?: string;
  /** cart-service's mark of the cart the order was placed from, given back in the order's events. */
  cartMark?: string;
  /** Bumped by every write: concurrent writers (HTTP, consumers, sweeper) never overwrite each other's facts. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What one write of an order may set: its facts and what follows from them, and the fields of the placing step it records. */
export type OrderChanges = Pick<OrderRecord, 'facts' | 'updatedAt'> & Partial<Pick<OrderRecord, 'status' | 'reason' | 'step' | 'reservationId' | 'paymentId'>>;

export function toPublicOrder(order: OrderRecord) {
  return {
    id: order.id,
    userId: order.userId,
    items: order.items.map((line) => ({ productId: line.productId, quantity: line.quantity, price: fromMinor(line.priceMinor) })),
    total: fromMinor(order.totalMinor),
    currency: order.currency,
    address: order.address,
    paymentInfo: order.paymentMethod,
    status: order.status,
    ...(order.reason === undefined ? {} : { reason: order.reason }),
    reservationId: order.reservationId ?? null,
    paymentId: order.paymentId ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

const kindOf = { pending: 'orderCreated', confirmed: 'orderConfirmed', failed: 'orderFailed', cancelled: 'orderCancelled' } as const;

/** What the order rules announce: the order's current status; events/outgoing.ts turns it into an order-events entry. */
export interface OrderDomainEvent {
  kind: (typeof kindOf)[OrderStatus];
  order: OrderRecord;
}

/** The domain event announcing the order as it now is (order.created while pending, then its end). */
export const announcement = (order: OrderRecord): OrderDomainEvent => ({ kind: kindOf[order.status], order });
