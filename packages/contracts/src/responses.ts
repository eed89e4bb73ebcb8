import { Type } from 'typebox';
import { Currency, Id, Money, Quantity } from './common.ts';

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
