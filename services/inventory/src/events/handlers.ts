import { eventTypes, OrderEvent, PaymentEvent, ProductCreated, ProductDeleted } from '@shop/contracts';
import { whenConfirmed } from '@shop/platform/kafka/confirm';
import { on, type TopicHandler } from '@shop/platform/kafka/handlers';
import type { Logger } from '@shop/platform/log';
import type { OrderBook } from '../clients/orders.ts';
import type { OnOrderClosed } from '../domain/on-order-closed.ts';
import type { OnPayment } from '../domain/on-payment.ts';
import type { StockRules } from '../domain/stock-rules.ts';

/** product-events: the stock record follows its product. */
export function productEventsHandler(rules: StockRules): TopicHandler {
  return {
    [eventTypes.productCreated]: on(ProductCreated, async (event) => {
      await rules.productCreated(event.data.productId, event.data.stock);
    }),
    [eventTypes.productDeleted]: on(ProductDeleted, (event) => rules.productDeleted(event.data.productId)),
  };
}

/** payment-events: success commits the reservation, failure releases it (a refund changes nothing here). */
export function paymentEventsHandler(rules: OnPayment): TopicHandler {
  const apply = on(PaymentEvent, (event) => rules.apply(event.data));
  return { [eventTypes.paymentSucceeded]: apply, [eventTypes.paymentFailed]: apply };
}

/**
 * order-events: a failed or cancelled order frees its stock — once order-service confirms the order
 * really closed, so a forged event cannot put a sold order's stock back; every other order event is skipped.
 */
export function orderEventsHandler(rules: OnOrderClosed, orders: OrderBook, logger: Logger): TopicHandler {
  const closed = on(OrderEvent, (event) =>
    whenConfirmed({
      type: event.type,
      subject: event.data.orderId,
      logger,
      confirm: () => orders.isClosed(event.data.orderId),
      act: () => rules.orderClosed(event.data.orderId, `order ${event.data.status}${event.data.reason ? `: ${event.data.reason}` : ''}`),
    }),
  );
  return { [eventTypes.orderFailed]: closed, [eventTypes.orderCancelled]: closed };
}
