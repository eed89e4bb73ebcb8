import { type Static, Type } from 'typebox';
import { CartMark, Currency, Id, Money, Quantity, Timestamp } from './common.ts';

/** Every Kafka topic the system uses; each also has a `<topic>.dlq`. */
export const topics = {
  userCreated: 'user-created',
  userDeleted: 'user-deleted',
  productEvents: 'product-events',
  inventoryEvents: 'inventory-events',
  orderEvents: 'order-events',
  paymentEvents: 'payment-events',
} as const;

export const eventTypes = {
  userCreated: 'user.created',
  userDeleted: 'user.deleted',
  productCreated: 'product.created',
  productDeleted: 'product.deleted',
  reservationCommitted: 'reservation.committed',
  reservationReleased: 'reservation.released',
  reservationExpired: 'reservation.expired',
  reservationCommitFailed: 'reservation.commit-failed',
  orderCreated: 'order.created',
  orderConfirmed: 'order.confirmed',
  orderFailed: 'order.failed',
  orderCancelled: 'order.cancelled',
  paymentSucceeded: 'payment.succeeded',
  paymentFailed: 'payment.failed',
  paymentRefunded: 'payment.refunded',
} as const;

const strict = { additionalProperties: false } as const;

export const UserCreated = Type.Object({ userId: Id, email: Type.String(), name: Type.String() }, strict);
export const UserDeleted = Type.Object({ userId: Id }, strict);

export const ProductCreated = Type.Object({ productId: Id, stock: Type.Integer({ minimum: 0 }) }, strict);
export const ProductDeleted = Type.Object({ productId: Id }, strict);

export const ReservationItem = Type.Object({ productId: Id, quantity: Quantity }, strict);
/** What inventory-service announces about a reservation (committed, released, expired, or could not commit). */
export const ReservationEvent = Type.Object(
  { reservationId: Id, orderId: Id, status: Type.String(), items: Type.Array(ReservationItem), reason: Type.Optional(Type.String()) },
  strict,
);

export const OrderItem = Type.Object({ productId: Id, quantity: Quantity, price: Money }, strict);
export const OrderEvent = Type.Object(
  {
    orderId: Id,
    userId: Id,
    status: Type.String(),
    items: Type.Array(OrderItem),
    total: Money,
    currency: Currency,
    reservationId: Type.Optional(Id),
    reason: Type.Optional(Type.String()),
    /** The mark of the cart the order was placed from (cart-service's, given back as it was read). */
    cartMark: Type.Optional(CartMark),
  },
  strict,
);

/** The spec's payment-events payload. */
export const PaymentEvent = Type.Object(
  {
    paymentId: Id,
    orderId: Id,
    userId: Id,
    reservationId: Id,
    amount: Money,
    currency: Currency,
    method: Type.String(),
    status: Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('refunded')]),
    reason: Type.Optional(Type.String()),
    timestamp: Timestamp,
  },
  strict,
);

export type UserCreatedData = Static<typeof UserCreated>;
export type UserDeletedData = Static<typeof UserDeleted>;
export type ProductCreatedData = Static<typeof ProductCreated>;
export type ProductDeletedData = Static<typeof ProductDeleted>;
export type ReservationEventData = Static<typeof ReservationEvent>;
export type OrderEventData = Static<typeof OrderEvent>;
export type PaymentEventData = Static<typeof PaymentEvent>;
