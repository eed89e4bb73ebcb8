import { eventTypes, OrderEvent, topics, UserCreated, UserDeleted } from '@shop/contracts';
import { on, type TopicHandler } from '@shop/platform/kafka/handlers';
import type { CartRules } from '../domain/carts.ts';

/** What the cart consumes: user-created (empty cart), user-deleted (cart gone), order.confirmed (ordered units out). */
export function cartHandlers(rules: CartRules): Record<string, TopicHandler> {
  return {
    [topics.userCreated]: {
      [eventTypes.userCreated]: on(UserCreated, async (event) => {
        await rules.userCreated(event.data.userId);
      }),
    },
    [topics.userDeleted]: {
      [eventTypes.userDeleted]: on(UserDeleted, (event) => rules.userDeleted(event.data.userId)),
    },
    [topics.orderEvents]: {
      [eventTypes.orderConfirmed]: on(OrderEvent, (event) => rules.orderConfirmed(event.data)),
    },
  };
}
