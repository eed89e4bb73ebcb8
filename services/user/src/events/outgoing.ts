import { eventTypes, topics, type UserCreatedData, type UserDeletedData } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { type OutboxEntry, outboxEntry } from '@shop/platform/mongo/outbox';
import type { UserDomainEvent } from '../domain/user.ts';

const SOURCE = 'user-service';

/** The one place user-service's domain events become contract events (key = userId), ready for the outbox. */
export function outboxEntries(events: UserDomainEvent[]): OutboxEntry[] {
  return events.map((event) => {
    if (event.kind === 'userCreated') {
      const { user } = event;
      const data: UserCreatedData = { userId: user.id, email: user.email, name: user.name };
      return outboxEntry(topics.userCreated, createEvent({ type: eventTypes.userCreated, source: SOURCE, subject: user.id, data }));
    }
    const data: UserDeletedData = { userId: event.userId };
    return outboxEntry(topics.userDeleted, createEvent({ type: eventTypes.userDeleted, source: SOURCE, subject: event.userId, data }));
  });
}
