import { test } from 'node:test';
import { explainingDatabase } from '@shop/testing/explain';
import { ObjectId } from 'mongodb';
import { createPaymentStore, paymentIndexes, paymentsCollection } from '../src/store/payments.ts';

test("the payment store's queries use their indexes (explain of the commands the store really sends)", async (t) => {
  const queries = await explainingDatabase(t, paymentIndexes);
  const store = createPaymentStore(queries.db, 'payment-events');
  const now = Date.now();
  const users = Array.from({ length: 10 }, () => new ObjectId().toHexString());
  await paymentsCollection(queries.db).insertMany(
    Array.from({ length: 300 }, (_, i) => ({
      _id: new ObjectId(),
      orderId: new ObjectId().toHexString(),
      userId: users[i % users.length],
      reservationId: new ObjectId().toHexString(),
      amountMinor: 100,
      currency: 'USD',
      method: 'card',
      status: i % 20 === 0 ? ('processing' as const) : ('success' as const),
      createdAt: new Date(now - i * 60_000),
      updatedAt: new Date(now - i * 60_000),
    })),
  );
  const ofUser = () => store.list({ userId: users[4] }, 20);
  t.diagnostic(`payments of a user: ${await queries.assertUses('userId_id', 'find', 'payments', ofUser, { sorted: true })}`);
  const unfinished = () => store.findUnfinished(new Date(now - 30_000), 50);
  t.diagnostic(`unfinished payments (sweeper): ${await queries.assertUses('status_createdAt', 'find', 'payments', unfinished, { sorted: true })}`);
});
