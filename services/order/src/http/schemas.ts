import { Currency, Id, Money, Page, PageQuery, Quantity, Timestamp } from '@shop/contracts';
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Line = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

export const Address = Type.Object(
  {
    line1: Line,
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    postalCode: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$' }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  strict,
);

/** The payment method handed to payment-service, e.g. `card` (or `card_declined` to simulate a decline). */
const PaymentInfo = Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'Payment method, e.g. "card"' });

export const PlaceOrderBody = Type.Object({ userId: Id, cartId: Type.Optional(Id), address: Address, paymentInfo: PaymentInfo }, strict);
export const PlaceOrderHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Retrying with the same key returns the first order' }),
  ),
});

const Status = Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('failed'), Type.Literal('cancelled')]);

export const Order = Type.Object({
  id: Id,
  userId: Id,
  items: Type.Array(Type.Object({ productId: Id, quantity: Quantity, price: Money })),
  total: Money,
  currency: Currency,
  address: Address,
  paymentInfo: Type.String(),
  status: Status,
  reason: Type.Optional(Type.String({ description: 'Why the order failed or was cancelled' })),
  reservationId: Type.Union([Id, Type.Null()]),
  paymentId: Type.Union([Id, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ListQuery = Type.Object({ ...PageQuery, cursor: Type.Optional(Id) }, strict);
export const AdminListQuery = Type.Object({ ...PageQuery, cursor: Type.Optional(Id), status: Type.Optional(Status) }, strict);
export const OrderPage = Page(Order);
