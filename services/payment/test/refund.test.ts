import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventTypes, type OrderEventData, type ReservationEventData, topics } from '@shop/contracts';
import { createEvent } from '@shop/platform/kafka/envelope';
import { readTopic } from '@shop/testing/kafka-reader';
import { ObjectId } from 'mongodb';
import { eventually, newId, startPaymentStack } from './support.ts';

test('a reservation.commit-failed refunds the payment once, however often it is delivered', async (t) => {
  const stack = await startPaymentStack(t);
  const alice = await stack.customer();
  const order = stack.order(alice.id);
  const paid = await stack.payment.http.inject({ method: 'POST', url: '/payment', headers: stack.serviceHeaders, payload: stack.payBody(order) });
  assert.equal(paid.json().status, 'success');
  order.status = 'failed'; // what order-service makes of a commit-failed

  const data: ReservationEventData = { reservationId: order.reservationId, orderId: order.id, status: 'EXPIRED', items: [], reason: 'stock gone after expiry' };
  const event = createEvent({ type: eventTypes.reservationCommitFailed, source: 'inventory-service', subject: order.reservationId, data });
  // The same envelope twice (a redelivery), then a second envelope saying the same (a duplicate announcement).
  await stack.payment.producer.publish(topics.inventoryEvents, event, { key: order.id });
  await stack.payment.producer.publish(topics.inventoryEvents, event, { key: order.id });
  await stack.payment.producer.publish(topics.inventoryEvents, { ...event, id: crypto.randomUUID() }, { key: order.id });

  const get = () => stack.payment.http.inject({ method: 'GET', url: `/payment/${paid.json().id}`, headers: alice.headers });
  await eventually(async () => ((await get()).json().status === 'refunded' ? true : undefined), 'the refund');
  assert.match((await get()).json().refundReason, /stock could not be committed/);
  const events = await readTopic(topics.paymentEvents, (m) => m.key === order.id, { expected: 2 });
  assert.deepEqual(
    events.map((m) => [m.event.type, m.event.data.status]),
    [
      ['payment.succeeded', 'success'],
      ['payment.refunded', 'refunded'],
    ],
  );
});

test('order.failed refunds a paid order; order.cancelled voids an unpaid one so a late charge is refused', async (t) => {
  const stack = await startPaymentStack(t);
  const alice = await stack.customer();
  const paidOrder = stack.order(alice.id, 10);
  const unpaidOrder = stack.order(alice.id, 20);
  const paid = await stack.payment.http.inject({ method: 'POST', url: '/payment', headers: stack.serviceHeaders, payload: stack.payBody(paidOrder) });
  paidOrder.status = 'failed';
  unpaidOrder.status = 'cancelled';
  const closed = (o: typeof paidOrder, status: string): OrderEventData => ({
    orderId: o.id,
    userId: o.userId,
    status,
    items: [{ productId: newId(), quantity: 1, price: o.total }],
    total: o.total,
    currency: 'USD',
    reservationId: o.reservationId,
    reason: 'test',
  });
  await stack.payment.producer.publish(
    topics.orderEvents,
    createEvent({ type: eventTypes.orderFailed, source: 'order-service', subject: paidOrder.id, data: closed(paidOrder, 'failed') }),
  );
  await stack.payment.producer.publish(
    topics.orderEvents,
    createEvent({
      type: eventTypes.orderCancelled,
      source: 'order-service',
      subject: unpaidOrder.id,
      data: closed(unpaidOrder, 'cancelled'),
    }),
  );
  await eventually(
    async () => ((await stack.payments.findOne({ _id: new ObjectId(paid.json().id as string), status: 'refunded' })) ? true : undefined),
    'the refund',
  );
  await eventually(async () => ((await stack.payments.findOne({ orderId: unpaidOrder.id, status: 'voided' })) ? true : undefined), 'the void');
  const late = await stack.payment.http.inject({ method: 'POST', url: '/payment', headers: stack.serviceHeaders, payload: stack.payBody(unpaidOrder) });
  assert.equal(late.statusCode, 409);
  const listed = await stack.payment.http.inject({ method: 'GET', url: `/payments?userId=${alice.id}`, headers: alice.headers });
  assert.deepEqual(
    listed.json().items.map((p: { orderId: string; status: string }) => [p.orderId, p.status]),
    [[paidOrder.id, 'refunded']],
  );
});

test('a charge left processing by a crash is finished by the sweeper with one event', async (t) => {
  const stack = await startPaymentStack(t, { SWEEP_GRACE_MS: '500' });
  const alice = await stack.customer();
  const order = stack.order(alice.id);
  // What a process killed between the insert and the gateway's answer leaves behind.
  const _id = new ObjectId();
  const long = new Date(Date.now() - 60_000);
  await stack.payments.insertOne({
    _id,
    orderId: order.id,
    userId: alice.id,
    reservationId: order.reservationId,
    amountMinor: 5997,
    currency: 'USD',
    method: 'card',
    status: 'processing',
    createdAt: long,
    updatedAt: long,
    outbox: [],
  });
  await eventually(async () => ((await stack.payments.findOne({ _id, status: 'success' })) ? true : undefined), 'the sweeper');
  const retried = await stack.payment.http.inject({ method: 'POST', url: '/payment', headers: stack.serviceHeaders, payload: stack.payBody(order) });
  assert.deepEqual([retried.json().id, retried.json().status], [_id.toHexString(), 'success']);
  const events = await readTopic(topics.paymentEvents, (m) => m.key === order.id);
  assert.deepEqual(
    events.map((m) => m.event.type),
    ['payment.succeeded'],
  );
  assert.equal(await stack.payments.countDocuments({ orderId: order.id }), 1);
});

test('a forged order.failed or reservation.commit-failed for a confirmed order moves no money: order-service does not confirm it', async (t) => {
  const stack = await startPaymentStack(t);
  const alice = await stack.customer();
  const pay = async (o: ReturnType<typeof stack.order>) =>
    (await stack.payment.http.inject({ method: 'POST', url: '/payment', headers: stack.serviceHeaders, payload: stack.payBody(o) })).json();
  const confirmed = stack.order(alice.id, 10);
  const [markerA, markerB] = [stack.order(alice.id, 1), stack.order(alice.id, 2)];
  const payment = await pay(confirmed);
  const markerPayments = [await pay(markerA), await pay(markerB)];
  confirmed.status = 'confirmed';
  markerA.status = 'failed';
  markerB.status = 'failed';

  const orderFailed = (o: typeof confirmed) =>
    createEvent({
      type: eventTypes.orderFailed,
      source: 'order-service',
      subject: o.id,
      data: {
        orderId: o.id,
        userId: o.userId,
        status: 'failed',
        items: [{ productId: newId(), quantity: 1, price: o.total }],
        total: o.total,
        currency: 'USD',
        reservationId: o.reservationId,
      },
    });
  const commitFailed = (o: typeof confirmed) =>
    createEvent({
      type: eventTypes.reservationCommitFailed,
      source: 'inventory-service',
      subject: o.reservationId,
      data: { reservationId: o.reservationId, orderId: o.id, status: 'EXPIRED', items: [], reason: 'forged' },
    });
  // The forged events, then on the same partitions genuine ones: once those are handled, so were the forged.
  await stack.payment.producer.publish(topics.orderEvents, orderFailed(confirmed), { key: confirmed.id });
  await stack.payment.producer.publish(topics.inventoryEvents, commitFailed(confirmed), { key: confirmed.id });
  await stack.payment.producer.publish(topics.orderEvents, orderFailed(markerA), { key: confirmed.id });
  await stack.payment.producer.publish(topics.inventoryEvents, commitFailed(markerB), { key: confirmed.id });
  for (const marker of markerPayments) {
    await eventually(
      async () => ((await stack.payments.findOne({ _id: new ObjectId(marker.id as string), status: 'refunded' })) ? true : undefined),
      'the genuine refunds',
    );
  }
  assert.equal((await stack.payments.findOne({ _id: new ObjectId(payment.id as string) }))?.status, 'success', 'the confirmed order keeps its payment');
  const metrics = await stack.payment.http.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /events_unconfirmed_total\{[^}]*type="order.failed"[^}]*\} [1-9]/);
  assert.match(metrics.body, /events_unconfirmed_total\{[^}]*type="reservation.commit-failed"[^}]*\} [1-9]/);
});
