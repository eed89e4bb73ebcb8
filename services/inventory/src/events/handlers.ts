import { eventTypes, OrderEvent, PaymentEvent, ProductCreated, ProductDeleted } from '@shop/contracts';
import { AppError, unavailable } from '@shop/platform/errors';
import { defineHandler } from '@shop/platform/kafka/handlers';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { OrderRules } from '../domain/orders.ts';
import type { PaymentRules } from '../domain/payments.ts';
import type { StockRules } from '../domain/stock-rules.ts';

/** Our own refusals keep their meaning; anything else (MongoDB down, ...) is retried until it works, never dead-lettered. */
async function retryingUnknown(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw error instanceof AppError ? error : unavailable('MongoDB', error);
  }
}

/** product-events: the stock record follows its product. */
export function productEventsHandler(rules: StockRules) {
  return defineHandler({
    dataSchema: Type.Union([ProductCreated, ProductDeleted]),
    types: [eventTypes.productCreated, eventTypes.productDeleted],
    handle: (event) =>
      retryingUnknown(async () => {
        if (event.type === eventTypes.productDeleted) return rules.productDeleted(event.data.productId);
        if (!Value.Check(ProductCreated, event.data)) throw new AppError('VALIDATION_FAILED', 'product.created needs {productId, stock}');
        return rules.productCreated(event.data.productId, event.data.stock);
      }),
  });
}

/** payment-events: success commits the reservation, failure releases it. */
export function paymentEventsHandler(rules: PaymentRules) {
  return defineHandler({
    dataSchema: PaymentEvent,
    handle: (event) => retryingUnknown(() => rules.apply(event.data)),
  });
}

/** order-events: a failed or cancelled order frees its stock; every other order event is ignored. */
export function orderEventsHandler(rules: OrderRules) {
  const closing: string[] = [eventTypes.orderFailed, eventTypes.orderCancelled];
  return defineHandler({
    dataSchema: OrderEvent,
    handle: async (event) => {
      if (!closing.includes(event.type)) return;
      await retryingUnknown(() => rules.orderClosed(event.data.orderId, `order ${event.data.status}${event.data.reason ? `: ${event.data.reason}` : ''}`));
    },
  });
}
