import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { testDatabase } from '@shop/testing/database';
import { type Document, ObjectId } from 'mongodb';
import type { PaymentRecord } from '../src/domain/payment.ts';
import { createPaymentStore, paymentIndexes, paymentsCollection } from '../src/store/payments.ts';

const database = (t: TestContext) => testDatabase(t, paymentIndexes);

const newPayment = (id: string, status: PaymentRecord['status']): PaymentRecord => ({
  id,
  orderId: new ObjectId().toHexString(),
  userId: new ObjectId().toHexString(),
  reservationId: new ObjectId().toHexString(),
  amountMinor: 100,
  currency: 'USD',
  method: 'card',
  status,
  createdAt: new Date(),
  updatedAt: new Date(),
});

test('on the real store: one payment per order, and of twenty concurrent transitions exactly one wins', async (t) => {
  const store = createPaymentStore(await database(t), 'payment-events');
  const payment = newPayment(store.newId(), 'processing');
  assert.equal(await store.insert(payment), true);
  assert.equal(await store.insert({ ...payment, id: store.newId() }), false);
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      store.transition(payment.id, 'processing', { status: 'success', updatedAt: new Date() }, [
        { kind: 'paymentSucceeded', payment: { ...payment, status: 'success' } },
      ]),
    ),
  );
  assert.equal(results.filter(Boolean).length, 1);
  assert.equal(results.find(Boolean)?.status, 'success');
});

test('a refund racing the relay’s $pull of the previous event is never lost', async (t) => {
  const db = await database(t);
  const store = createPaymentStore(db, 'payment-events');
  // What the outbox relay does after a publish: pull that entry by its id, with no lock of any kind.
  const relayPull = (id: string, entry: { id: string }) =>
    paymentsCollection(db).updateOne({ _id: new ObjectId(id) }, { $pull: { outbox: { id: entry.id } } } as Document);
  for (let round = 0; round < 20; round++) {
    const payment = newPayment(store.newId(), 'processing');
    await store.insert(payment);
    await store.transition(payment.id, 'processing', { status: 'success' }, [{ kind: 'paymentSucceeded', payment: { ...payment, status: 'success' } }]);
    const [succeeded] = (await paymentsCollection(db).findOne({ _id: new ObjectId(payment.id) }))?.outbox ?? [];
    assert.ok(succeeded);
    const refunded = { kind: 'paymentRefunded' as const, payment: { ...payment, status: 'refunded' as const, refundReason: 'test' } };
    await Promise.all([store.transition(payment.id, 'success', { status: 'refunded', refundReason: 'test' }, [refunded]), relayPull(payment.id, succeeded)]);
    const doc = await paymentsCollection(db).findOne({ _id: new ObjectId(payment.id) });
    assert.equal(doc?.status, 'refunded', `round ${round}`);
    assert.deepEqual(
      doc?.outbox?.map((entry) => entry.event.type),
      ['payment.refunded'],
      `round ${round}`,
    );
  }
});
