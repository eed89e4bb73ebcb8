import { Currency, Id, Money, Page, PageQuery, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
/** A payment method name, e.g. `card` or `card_declined`; the gateway decides what it accepts. */
export const Method = Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'Payment method, e.g. "card"' });

export const Payment = Type.Object({
  id: Id,
  orderId: Id,
  userId: Id,
  reservationId: Type.String(),
  amount: Money,
  currency: Currency,
  method: Type.String(),
  status: Type.Union([Type.Literal('processing'), Type.Literal('success'), Type.Literal('failure'), Type.Literal('refunded')]),
  reason: Type.Optional(Type.String({ description: 'Why the charge failed' })),
  refundReason: Type.Optional(Type.String({ description: 'Why the payment was refunded' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ChargeBody = Type.Object(
  {
    orderId: Id,
    userId: Id,
    reservationId: Id,
    amount: Money,
    method: Method,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: "The order's currency (sent by order-service; otherwise read from the order)" })),
  },
  strict,
);
export const ListQuery = Type.Object({ ...PageQuery, cursor: Type.Optional(Id), orderId: Type.Optional(Id), userId: Type.Optional(Id) }, strict);
export const PaymentPage = Page(Payment);
