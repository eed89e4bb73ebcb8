import { Type } from 'typebox';
import { CartMark, Currency, Id, Money, Quantity } from './common.ts';

// HTTP answers one service reads from another. The reader decodes them with these schemas, so a
// changed shape fails a test (and, at worst, a call with a clear 503), never a checkout that
// silently reads `undefined`. Extra members are allowed: a service may say more than a reader needs.

/** product-service `GET /product?ids=…`: each product's price, as order-service prices a cart in one call. */
export const PricedProduct = Type.Object({ id: Id, price: Money, currency: Currency });
export const PricedProductPage = Type.Object({ items: Type.Array(PricedProduct) });

/** inventory-service `POST /inventory/reserve` → 201. */
export const ReservationMade = Type.Object({ reservationId: Id, status: Type.String() });

/** inventory-service `POST /inventory/reserve` → 409 when stock is short: every short item named. */
export const StockShortage = Type.Object({
  code: Type.Literal('INSUFFICIENT_STOCK'),
  items: Type.Array(Type.Object({ productId: Id, requested: Quantity, available: Type.Integer() })),
});

/** user-service `GET /users/{id}` (404: no such user): who a user is, as the other services need it. */
export const UserView = Type.Object({ id: Id, email: Type.String(), name: Type.String() });

/** user-service `GET /users/{id}/access` (services only; 404: no such user): whether a user token still holds. */
export const UserAccess = Type.Object({
  userId: Id,
  role: Type.Union([Type.Literal('customer'), Type.Literal('admin')]),
  tokenVersion: Type.Integer({ minimum: 0 }),
});

/** cart-service `GET /cart/{userId}` (404: no cart): what order-service orders. */
export const CartView = Type.Object({ id: Id, items: Type.Array(Type.Object({ productId: Id, quantity: Quantity })), mark: Type.Optional(CartMark) });

const Count = Type.Integer({ minimum: 0 });
/** inventory-service `GET /inventory?productIds=a,b,…` (up to 100): the stock of those that have a record. */
export const StockLevelsView = Type.Object({ items: Type.Array(Type.Object({ productId: Id, onHand: Count, reserved: Count, available: Count })) });

/** inventory-service `GET /inventory/{productId}` (404: no stock record): what cart-service adds to a cart against. */
export const StockLevelView = Type.Object({ productId: Id, available: Count, discontinued: Type.Optional(Type.Boolean()) });

/** product-service `GET /product/{id}` (404: unknown or deleted): the product, and its stock (null when inventory-service could not say). */
export const ProductView = Type.Object({ id: Id, inventory: Type.Union([Type.Object({ available: Count }), Type.Null()]) });

/** payment-service `POST /payment` → 201: the order's one payment and how it went. */
export const PaymentOutcome = Type.Object({
  id: Id,
  status: Type.Union([Type.Literal('processing'), Type.Literal('success'), Type.Literal('failure'), Type.Literal('refunded')]),
  reason: Type.Optional(Type.String()),
});

/** order-service `GET /order/{id}` (404: no such order): what payment-service checks a customer's charge against. */
export const OrderView = Type.Object({
  id: Id,
  userId: Id,
  status: Type.String(),
  total: Money,
  currency: Currency,
  reservationId: Type.Union([Id, Type.Null()]),
});
