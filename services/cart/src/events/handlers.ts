import { eventTypes, OrderEvent, topics, UserCreated, UserDeleted } from '@shop/contracts';
import { AppError } from '@shop/platform/errors';
import { defineHandler } from '@shop/platform/kafka/handlers';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { CartRules } from '../domain/carts.ts';

// order-events carries every order type; only order.confirmed concerns the cart, so only its
// payload is checked (a change to another type's payload must not dead-letter it here).
const AnyData = Type.Record(Type.String(), Type.Unknown());

/** What the cart consumes: user-created (empty cart), user-deleted (cart gone), order.confirmed (ordered units out). */
export function cartHandlers(rules: CartRules) {
  return {
    [topics.userCreated]: defineHandler({
      dataSchema: UserCreated,
      types: [eventTypes.userCreated],
      handle: async (event) => {
        await rules.userCreated(event.data.userId);
      },
    }),
    [topics.userDeleted]: defineHandler({
      dataSchema: UserDeleted,
      types: [eventTypes.userDeleted],
      handle: (event) => rules.userDeleted(event.data.userId),
    }),
    [topics.orderEvents]: defineHandler({
      dataSchema: AnyData,
      async handle(event) {
        if (event.type !== eventTypes.orderConfirmed) return;
        if (!Value.Check(OrderEvent, event.data)) {
          const [first] = Value.Errors(OrderEvent, event.data);
          throw new AppError('VALIDATION_FAILED', `invalid order.confirmed data: ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim());
        }
        const order = event.data;
        await rules.orderConfirmed(order);
      },
    }),
  };
}
