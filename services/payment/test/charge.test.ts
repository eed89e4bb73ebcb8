import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { newId, startPaymentStack } from './support.ts';

test('ten parallel POSTs for one order: one payment document, identical answers, one event', async (t) => {
  const stack = await startPaymentStack(t, { PAYMENT_LATENCY_MS: '50' });
  const alice = await stack.customer();
  const order = stack.order(alice.id);
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      stack.payment.http.inject({ method: 'POST', url: '/payment', headers: i % 2 ? stack.serviceHeaders : alice.headers, payload: stack.payBody(order) }),
    ),
  );
  const bodies = answers.map((a) => a.body).join('\n');
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    Array(10).fill(201),
    bodies,
  );
  assert.equal(new Set(answers.map((a) => a.body)).size, 1, bodies);
  const payment = answers[0]?.json();
  assert.equal(payment.status, 'success');
  assert.equal(payment.amount, 59.97);
  assert.equal(await stack.payments.countDocuments({ orderId: order.id }), 1);
  const events = await readTopic(topics.paymentEvents, (m) => m.key === order.id);
  assert.deepEqual(
    events.map((m) => [m.event.type, m.event.data.status, m.event.data.paymentId]),
    [['payment.succeeded', 'success', payment.id]],
  );
  const listed = await stack.payment.http.inject({ method: 'GET', url: `/payments?orderId=${order.id}`, headers: alice.headers });
  assert.deepEqual(listed.json().items, [payment]);
});

test('an amount other than the order total is a 409 and nothing is written', async (t) => {
  const stack = await startPaymentStack(t);
  const alice = await stack.customer();
  const order = stack.order(alice.id, 30.3);
  for (const amount of [30.29, 30.31, 0]) {
    const response = await stack.payment.http.inject({
      method: 'POST',
      url: '/payment',
      headers: stack.serviceHeaders,
      payload: { ...stack.payBody(order), amount },
    });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal(response.json().code, 'CONFLICT');
  }
  const tooPrecise = await stack.payment.http.inject({
    method: 'POST',
    url: '/payment',
    headers: stack.serviceHeaders,
    payload: { ...stack.payBody(order), amount: 30.301 },
  });
  assert.equal(tooPrecise.statusCode, 400);
  // Only this order's document counts: the consumer may void orders other tests close meanwhile.
  assert.equal(await stack.payments.countDocuments({ orderId: order.id }), 0);
});

test('anonymous callers get 401, another customer 403; unknown orders 404', async (t) => {
  const stack = await startPaymentStack(t);
  const alice = await stack.customer();
  const mallory = await stack.customer();
  const order = stack.order(alice.id);
  const post = (headers: Record<string, string>, payload: object) => stack.payment.http.inject({ method: 'POST', url: '/payment', headers, payload });
  assert.equal((await post({}, stack.payBody(order))).statusCode, 401);
  assert.equal((await post(mallory.headers, stack.payBody(order))).statusCode, 403);
  assert.equal((await post(mallory.headers, { ...stack.payBody(order), userId: mallory.id })).statusCode, 403);
  const unknown = { ...stack.payBody(order), orderId: '0123456789abcdef01234567' };
  assert.equal((await post(stack.serviceHeaders, unknown)).statusCode, 404);
  assert.equal(await stack.payments.countDocuments({ orderId: { $in: [order.id, unknown.orderId] } }), 0);

  const paid = await post(alice.headers, stack.payBody(order));
  assert.equal(paid.statusCode, 201);
  const id = paid.json().id;
  assert.equal((await stack.payment.http.inject({ method: 'GET', url: `/payment/${id}`, headers: mallory.headers })).statusCode, 403);
  assert.equal((await stack.payment.http.inject({ method: 'GET', url: `/payment/${id}`, headers: alice.headers })).statusCode, 200);
  const others = await stack.payment.http.inject({ method: 'GET', url: `/payments?orderId=${order.id}`, headers: mallory.headers });
  assert.deepEqual(others.json().items, []);
});

test('a declined card is a failure with a reason, announced as payment.failed', async (t) => {
  const stack = await startPaymentStack(t);
  const alice = await stack.customer();
  const order = stack.order(alice.id);
  const response = await stack.payment.http.inject({ method: 'POST', url: '/payment', headers: alice.headers, payload: stack.payBody(order, 'card_declined') });
  assert.equal(response.statusCode, 201);
  assert.equal(response.json().status, 'failure');
  assert.equal(response.json().reason, 'card declined');
  const [message, ...rest] = await readTopic(topics.paymentEvents, (m) => m.key === order.id);
  assert.equal(rest.length, 0);
  assert.equal(message?.event.type, 'payment.failed');
  assert.deepEqual(message?.event.data, {
    paymentId: response.json().id,
    orderId: order.id,
    userId: alice.id,
    reservationId: order.reservationId,
    amount: 59.97,
    currency: 'USD',
    method: 'card_declined',
    status: 'failure',
    reason: 'card declined',
    timestamp: message?.event.data.timestamp,
  });
});

test("order-service's own credential is trusted as it comes: no call back to order- or user-service", async (t) => {
  const stack = await startPaymentStack(t);
  const before = stack.lookups.count;
  // An order the stand-in has never heard of, in euros: only order-service's word stands behind it.
  const orderId = newId();
  const charged = await stack.payment.http.inject({
    method: 'POST',
    url: '/payment',
    headers: stack.orderServiceHeaders,
    payload: { orderId, userId: newId(), reservationId: newId(), amount: 12.5, method: 'card', currency: 'EUR' },
  });
  assert.equal(charged.statusCode, 201, charged.body);
  assert.deepEqual([charged.json().status, charged.json().amount, charged.json().currency], ['success', 12.5, 'EUR']);
  assert.equal(stack.lookups.count, before, 'order-service was not asked');
  // Anyone else's charge of an unknown order is still checked, and refused.
  const other = await stack.payment.http.inject({
    method: 'POST',
    url: '/payment',
    headers: stack.serviceHeaders,
    payload: { orderId: newId(), userId: newId(), reservationId: newId(), amount: 12.5, method: 'card' },
  });
  assert.equal(other.statusCode, 404);
});
