import { eventTypes, OrderEvent, type OrderEventData } from '@shop/contracts';
import { parseEvent } from '@shop/platform/kafka/envelope';

/** What a live stream tells the page about an order: its new status, and when. */
export interface OrderChange {
  eventId: string;
  type: string;
  orderId: string;
  userId: string;
  status: string;
  total: number;
  currency: string;
  reason?: string;
  time: string;
}

const orderTypes = new Set<string>([eventTypes.orderCreated, eventTypes.orderConfirmed, eventTypes.orderFailed, eventTypes.orderCancelled]);

/**
 * The status change an `order-events` message announces, or undefined for anything else (another
 * type, or a message the real consumers will dead-letter: the gateway only reads along, it never
 * dead-letters).
 */
export function orderChangeOf(value: Buffer | string | undefined): OrderChange | undefined {
  if (!value) return undefined;
  const parsed = parseEvent<OrderEventData>(value, OrderEvent);
  if (!parsed.ok || !orderTypes.has(parsed.event.type)) return undefined;
  const { event } = parsed;
  const { orderId, userId, status, total, currency, reason } = event.data;
  return { eventId: event.id, type: event.type, orderId, userId, status, total, currency, ...(reason ? { reason } : {}), time: event.time };
}
