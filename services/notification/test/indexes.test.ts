import { test } from 'node:test';
import { explainingDatabase } from '@shop/testing/explain';
import { ObjectId } from 'mongodb';
import { createNotificationStore, notificationIndexes, notificationsCollection } from '../src/store/notifications.ts';

test("the notification store's queries use their indexes (explain of the commands the store really sends)", async (t) => {
  const queries = await explainingDatabase(t, notificationIndexes);
  const store = createNotificationStore(queries.db);
  const now = Date.now();
  const users = Array.from({ length: 10 }, () => new ObjectId().toHexString());
  await notificationsCollection(queries.db).insertMany(
    Array.from({ length: 300 }, (_, i) => {
      const sent = i % 10 !== 0;
      return {
        _id: new ObjectId(),
        eventId: new ObjectId().toHexString(),
        userId: users[i % users.length],
        type: 'order.confirmed',
        subject: 's',
        message: 'm',
        channel: 'email' as const,
        status: sent ? ('SENT' as const) : ('FAILED' as const),
        attempts: 1,
        createdAt: new Date(now - i * 60_000),
        ...(sent ? { sentAt: new Date(now - i * 60_000) } : { nextAttemptAt: new Date(now + (i % 20 === 0 ? -1 : 1) * 60_000) }),
      };
    }),
  );
  const sorted = { sorted: true };

  const ofUser = () => store.list({ userId: users[2] }, 20);
  t.diagnostic(`notifications of a user: ${await queries.assertUses('userId_newest', 'find', 'notifications', ofUser, sorted)}`);
  const page = await store.list({ userId: users[2] }, 5);
  const nextPage = () => store.list({ userId: users[2] }, 20, page[4].id);
  t.diagnostic(`next page: ${await queries.assertUses('userId_newest', 'find', 'notifications', nextPage, sorted)}`);
  const due = () => store.due(new Date(now), 50);
  t.diagnostic(`due for a retry (sweeper): ${await queries.assertUses('nextAttemptAt', 'find', 'notifications', due, sorted)}`);
});
