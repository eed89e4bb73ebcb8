import { type TSchema, Type } from 'typebox';

/** A MongoDB ObjectId in hex, the `id` of every resource. */
export const Id = Type.String({ pattern: '^[0-9a-f]{24}$', description: 'ObjectId hex' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Timestamp = Type.String({ format: 'date-time' });
/**
 * cart-service's mark of a cart as order-service read it, handed back in the order's events so a
 * late order.confirmed takes out only units that were in the cart when the order was placed, not
 * units the customer put back since. Opaque outside cart-service (docs/cart-marks.md).
 */
export const CartMark = Type.String({
  pattern: '^[0-9]{1,9}(\\.[0-9a-f]{24}-[0-9]{1,9})*$',
  maxLength: 40_000,
  description: 'How often the cart was emptied and its lines removed or replaced; order-service gives it back in order.confirmed',
});
/** The largest amount anywhere: a price, a payment, an order's total. */
export const MAX_MONEY = 100_000_000;
/**
 * A decimal amount with at most two fraction digits (format `money`, see `isMoneyAmount`: the HTTP
 * validator checks it); stored inside as integer minor units.
 */
export const Money = Type.Number({ minimum: 0, maximum: MAX_MONEY, format: 'money', description: 'Decimal, at most 2 fraction digits' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' });
/** A whole, positive number of units. */
export const Quantity = Type.Integer({ minimum: 1, maximum: 10_000 });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** `limit` (default 50, max 200) and an opaque `cursor` from the previous page. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** RFC 9457 problem details, as every service answers errors. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/** Standard error answers for a route's OpenAPI `response` map, documented as `application/problem+json`. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [status, { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: Problem } } }]),
  );
