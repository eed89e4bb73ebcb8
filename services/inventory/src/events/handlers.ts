import { eventTypes, OrderEvent, PaymentEvent, ProductCreated, ProductDeleted } from '@shop/contracts';
import { AppError } from '@shop/platform/errors';
import { defineHandler } from '@shop/platform/kafka/handlers';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { OrderRules } from '../domain/orders.ts';
import type { PaymentRules } from '../domain/payments.ts';
import type { StockRules } from '../domain/stock-rules.ts';

/** product-events: the stock record follows its product. */
export function productEventsHandler(rules: StockRules) {
  return defineHandler({
    dataSchema: Type.Union([ProductCreated, ProductDeleted]),
    types: [eventTypes.productCreated, eventTypes.productDeleted],
    async handle(event) {
      if (event.type === eventTypes.productDeleted) return rules.productDeleted(event.data.productId);
      if (!Value.Check(ProductCreated, event.data)) throw new AppError('VALIDATION_FAILED', 'product.created needs {productId, stock}');
      await rules.productCreated(event.data.productId, event.data.stock);
    },
  });
}

/** payment-events: success commits the reservation, failure releases it. */
export function paymentEventsHandler(rules: PaymentRules) {
  return defineHandler({
    dataSchema: PaymentEvent,
    handle: (event) => rules.apply(event.data),
  });
}

/** order-events: a failed or cancelled order frees its stock; every other order event is ignored. */
export function orderEventsHandler(rules: OrderRules) {
  const closing: string[] = [eventTypes.orderFailed, eventTypes.orderCancelled];
  return defineHandler({
    dataSchema: OrderEvent,
    handle: async (event) => {
      if (!closing.includes(event.type)) return;
      await rules.orderClosed(event.data.orderId, `order ${event.data.status}${event.data.reason ? `: ${event.data.reason}` : ''}`);
    },
  });
}
