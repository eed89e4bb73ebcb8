import { eventTypes, OrderEvent, PaymentEvent, topics, UserCreated, UserDeleted } from '@shop/contracts';
import { on, type TopicHandler } from '@shop/platform/kafka/handlers';
import { farewell, orderNews, paymentNews, welcome } from '../domain/messages.ts';
import type { NotificationRules } from '../domain/notifications.ts';

/** One notification per user, order and payment event. Sending never blocks consumption: a failed mail is retried by the sweeper. */
export function notificationHandlers(rules: NotificationRules, paymentTopic: string): Record<string, TopicHandler> {
  // Only an order's outcome is told to the customer (not order.created).
  const orderOutcome = on(OrderEvent, async (event) => {
    const draft = orderNews(event);
    if (draft) await rules.notify(draft);
  });
  const paymentOutcome = on(PaymentEvent, async (event) => {
    await rules.notify(paymentNews(event));
  });
  return {
    [topics.userCreated]: {
      [eventTypes.userCreated]: on(UserCreated, async (event) => {
        await rules.welcome(welcome(event), { email: event.data.email, name: event.data.name });
      }),
    },
    [topics.userDeleted]: {
      [eventTypes.userDeleted]: on(UserDeleted, async (event) => {
        await rules.farewell(farewell(event));
      }),
    },
    [topics.orderEvents]: {
      [eventTypes.orderConfirmed]: orderOutcome,
      [eventTypes.orderFailed]: orderOutcome,
      [eventTypes.orderCancelled]: orderOutcome,
    },
    [paymentTopic]: {
      [eventTypes.paymentSucceeded]: paymentOutcome,
      [eventTypes.paymentFailed]: paymentOutcome,
      [eventTypes.paymentRefunded]: paymentOutcome,
    },
  };
}
