import { eventTypes, fromMinor, type OrderEventData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
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
  /** Bumped by every write: concurrent writers (HTTP, consumers, sweeper) never overwrite each other's facts. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

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

const typeOf = {
  pending: eventTypes.orderCreated,
  confirmed: eventTypes.orderConfirmed,
  failed: eventTypes.orderFailed,
  cancelled: eventTypes.orderCancelled,
} as const;

/** The order-events entry announcing the order's current status (key = orderId). */
export function orderEventEntry(order: OrderRecord): OutboxEntry {
  const data: OrderEventData = {
    orderId: order.id,
    userId: order.userId,
    status: order.status,
    items: order.items.map((line) => ({ productId: line.productId, quantity: line.quantity, price: fromMinor(line.priceMinor) })),
    total: fromMinor(order.totalMinor),
    currency: order.currency,
    ...(order.reservationId === undefined ? {} : { reservationId: order.reservationId }),
    ...(order.reason === undefined ? {} : { reason: order.reason }),
  };
  return outboxEntry(topics.orderEvents, createEvent({ type: typeOf[order.status], source: 'order-service', subject: order.id, data }));
}
