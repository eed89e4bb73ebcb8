import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { ObjectId } from 'mongodb';
import type { NotificationRecord } from '../src/domain/notification.ts';
import { createNotificationStore, notificationIndexes, notificationsCollection } from '../src/store/notifications.ts';
import { createRecipientBook } from '../src/store/recipients.ts';

test('on the real store, a notification is stored claimed for its first attempt once per event; a claim given back makes it due again, uncounted; a stale claim changes nothing', async (t) => {
  const db = await testDatabase(t, notificationIndexes);
  const store = createNotificationStore(db);
  const at = new Date();
  const lease = new Date(at.getTime() + 30_000);
  const record = (): NotificationRecord => ({
    id: store.newId(),
    eventId: 'event-1',
    userId: new ObjectId().toHexString(),
    type: 'order.confirmed',
    subject: 'Order confirmed',
    message: 'Your order is confirmed.',
    channel: 'email',
    status: 'PENDING',
    to: 'ann@example.com',
    attempts: 0,
    createdAt: at,
    nextAttemptAt: at,
  });

  const first = await store.insertClaimed(record(), lease);
  assert.ok(first.claim);
  assert.deepEqual([first.claim.notification.id, first.claim.notification.attempts, first.claim.notification.nextAttemptAt], [first.id, 1, lease]);
  assert.deepEqual(await store.due(at, 10), [], 'held by its claim');
  assert.equal(await store.claim(first.id, at, lease), null);

  const again = await store.insertClaimed(record(), lease);
  assert.deepEqual(again, { id: first.id, claim: null });
  assert.equal(await notificationsCollection(db).countDocuments({}), 1);

  await store.release({ ...first.claim, claimId: randomUUID() }, at);
  assert.deepEqual(await store.due(at, 10), [], 'only the holder gives it back');
  await store.release(first.claim, at);
  assert.deepEqual(await store.due(at, 10), [first.id]);
  const stored = await notificationsCollection(db).findOne({ _id: new ObjectId(first.id) });
  assert.deepEqual([stored?.attempts, stored?.claimId], [0, undefined]);
});

test('on the real store, the recipients book keeps what it read (a second mail reads nothing), and forgets at once in this process', async (t) => {
  const db = await testDatabase(t, notificationIndexes);
  const collection = db.collection<{ _id: string }>('recipients');
  const kept = createRecipientBook(db, { cacheMs: 60_000 });
  const unkept = createRecipientBook(db);
  const ann = new ObjectId().toHexString();
  await kept.remember(ann, { email: 'ann@example.com', name: 'Ann' });
  assert.deepEqual(await kept.find(ann), { email: 'ann@example.com', name: 'Ann' });
  await collection.deleteOne({ _id: ann }); // behind the book's back: only a read would see it
  assert.deepEqual(await kept.find(ann), { email: 'ann@example.com', name: 'Ann' }, 'kept: not read again');
  assert.equal(await unkept.find(ann), null, 'cacheMs 0: read every time');

  const bob = new ObjectId().toHexString();
  await kept.remember(bob, { email: 'bob@example.com', name: 'Bob' });
  assert.deepEqual(await kept.find(bob), { email: 'bob@example.com', name: 'Bob' });
  await kept.forget(bob);
  assert.equal(await kept.find(bob), 'forgotten', 'a user deleted in this process is forgotten at once');
  await kept.remember(bob, { email: 'bob@example.com', name: 'Bob' });
  assert.equal(await kept.find(bob), 'forgotten', 'the tombstone stays');
});
