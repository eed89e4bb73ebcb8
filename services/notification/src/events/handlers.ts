import { eventTypes, OrderEvent, PaymentEvent, topics, UserCreated, UserDeleted } from '@shop/contracts';
import { AppError } from '@shop/platform/errors';
import { defineHandler } from '@shop/platform/kafka/handlers';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { farewell, orderNews, paymentNews, welcome } from '../domain/messages.ts';
import type { NotificationRules } from '../domain/notifications.ts';

// order-events carries every order type; only the outcomes are told to the customer, so only
// their payload is checked (a change to another type's payload must not dead-letter it here).
const AnyData = Type.Record(Type.String(), Type.Unknown());
const orderOutcomes: string[] = [eventTypes.orderConfirmed, eventTypes.orderFailed, eventTypes.orderCancelled];

/** One notification per user, order and payment event. Sending never blocks consumption: a failed mail is retried by the sweeper. */
export function notificationHandlers(rules: NotificationRules, paymentTopic: string) {
  return {
    [topics.userCreated]: defineHandler({
      dataSchema: UserCreated,
      types: [eventTypes.userCreated],
      handle: async (event) => {
        await rules.welcome(welcome(event), { email: event.data.email, name: event.data.name });
      },
    }),
    [topics.userDeleted]: defineHandler({
      dataSchema: UserDeleted,
      types: [eventTypes.userDeleted],
      handle: async (event) => {
        await rules.farewell(farewell(event));
      },
    }),
    [topics.orderEvents]: defineHandler({
      dataSchema: AnyData,
      async handle(event) {
        if (!orderOutcomes.includes(event.type)) return;
        if (!Value.Check(OrderEvent, event.data)) {
          const [first] = Value.Errors(OrderEvent, event.data);
          throw new AppError('VALIDATION_FAILED', `invalid ${event.type} data: ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim());
        }
        const draft = orderNews({ ...event, data: event.data });
        if (draft) await rules.notify(draft);
      },
    }),
    [paymentTopic]: defineHandler({
      dataSchema: PaymentEvent,
      handle: async (event) => {
        await rules.notify(paymentNews(event));
      },
    }),
  };
}
