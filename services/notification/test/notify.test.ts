import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventTypes, type OrderEventData, type PaymentEventData, topics } from '@shop/contracts';
import type { Platform } from '@shop/platform/service';
import { untilGroupCaughtUp } from '@shop/testing/consumer-group';
import { readTopic } from '@shop/testing/kafka-reader';
import { type MailCatcher, mailCatcher } from './mail-catcher.ts';
import { eventually, fileScope, newId, startNotificationService, startPublisher, startUserStandIn, uniqueEmail } from './support.ts';

const hooks = fileScope(after);
let service: Platform & { consumerGroup: string };
let mail: MailCatcher;
let publisher: ReturnType<typeof startPublisher>;
let userService: Awaited<ReturnType<typeof startUserStandIn>>;

before(async () => {
  mail = await mailCatcher(hooks);
  userService = await startUserStandIn(hooks);
  service = await startNotificationService(hooks, { SMTP_PORT: String(mail.smtpPort), USER_SERVICE_URL: userService.url });
  publisher = startPublisher(hooks);
});

const notifications = () => service.mongo.db.collection('notifications');
const handled = () => untilGroupCaughtUp(service.consumerGroup, [topics.orderEvents]);
const withStatus = (eventId: string, status: string) =>
  eventually(`notification ${status}`, async () => {
    const found = await notifications().findOne({ eventId });
    return found?.status === status ? found : undefined;
  });
const mailsAbout = async (email: string, orderId: string) => (await mail.messages(email)).filter((m) => m.subject.includes(orderId));

/** A customer announced by user-created, as user-service would; resolves once the welcome mail arrived. */
async function customer(label: string) {
  const userId = newId();
  const email = uniqueEmail(label);
  await publisher.publish(topics.userCreated, publisher.event(eventTypes.userCreated, userId, { userId, email, name: label }));
  const [welcome] = await eventually('the welcome mail', async () => ((await mail.messages(email)).length > 0 ? mail.messages(email) : undefined));
  assert.match(welcome?.text ?? '', new RegExp(`Welcome, ${label}! Your account ${email} is ready`));
  return { userId, email };
}

const order = (userId: string, extra: Partial<OrderEventData> = {}): OrderEventData => ({
  orderId: newId(),
  userId,
  status: 'confirmed',
  items: [{ productId: newId(), quantity: 2, price: 19.99 }],
  total: 39.98,
  currency: 'USD',
  ...extra,
});

test('an order.confirmed delivered three times (twice at once, once after it was sent) gives one notification and one mail', async () => {
  const { userId, email } = await customer('Ann');
  const data = order(userId);
  const confirmed = publisher.event(eventTypes.orderConfirmed, data.orderId, data);
  await publisher.publish(topics.orderEvents, confirmed);
  await publisher.publish(topics.orderEvents, confirmed);
  const stored = await withStatus(confirmed.id, 'SENT');
  // As if the consumer crashed after sending but before committing the event.
  await publisher.publish(topics.orderEvents, confirmed);
  await handled();

  assert.equal(await notifications().countDocuments({ orderId: data.orderId }), 1);
  const mails = await mailsAbout(email, data.orderId);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.text.trim(), `Your order ${data.orderId} is confirmed: total 39.98 USD.`);
  assert.equal(mails[0]?.from, 'shop@shop.local');
  assert.equal(mails[0]?.messageId, `<${stored._id.toHexString()}@shop.local>`);
  assert.deepEqual([stored.type, stored.channel, stored.userId, stored.attempts], ['order.confirmed', 'email', userId, 1]);
});

test('while the mail server refuses, the notification is FAILED; once it accepts, the sweeper sends it, once', async (t) => {
  const { userId, email } = await customer('Bob');
  await mail.refuse(email, true);
  t.after(() => mail.refuse(email, false));
  const data = order(userId, { status: 'failed', reason: 'payment declined' });
  const failed = publisher.event(eventTypes.orderFailed, data.orderId, data);
  await publisher.publish(topics.orderEvents, failed);

  const refused = await withStatus(failed.id, 'FAILED');
  assert.match(refused.error, /451/);
  assert.deepEqual(await mailsAbout(email, data.orderId), []);
  // Retried with backoff meanwhile, and still refused.
  await eventually('a retry', async () => ((await notifications().findOne({ eventId: failed.id }))?.attempts >= 2 ? true : undefined));
  assert.deepEqual(await mailsAbout(email, data.orderId), []);

  await mail.refuse(email, false);
  const sent = await withStatus(failed.id, 'SENT');
  assert.equal(sent.error, undefined);
  // Two sweeper rounds more must not send it again.
  await sleep(500);
  const mails = await mailsAbout(email, data.orderId);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.text.trim(), `Your order ${data.orderId} failed: payment declined.`);
  assert.equal(await notifications().countDocuments({ eventId: failed.id }), 1);
});

test('a payment event for a user whose user-created has not come yet is mailed to the address user-service knows', async () => {
  const userId = newId();
  const email = uniqueEmail('carol');
  userService.users.set(userId, { email, name: 'Carol' });
  const payment: PaymentEventData = {
    paymentId: newId(),
    orderId: newId(),
    userId,
    reservationId: newId(),
    amount: 12.5,
    currency: 'USD',
    method: 'card_declined',
    status: 'failure',
    reason: 'card declined',
    timestamp: new Date().toISOString(),
  };
  const event = publisher.event(eventTypes.paymentFailed, payment.paymentId, payment);
  await publisher.publish(topics.paymentEvents, event);
  await withStatus(event.id, 'SENT');
  const [only, ...more] = await mailsAbout(email, payment.orderId);
  assert.equal(only?.text.trim(), `Your payment of 12.50 USD for order ${payment.orderId} failed: card declined.`);
  assert.deepEqual(more, []);

  // Nobody knows this one: stored FAILED with the reason, retried a bounded number of times.
  const ghost = { ...payment, userId: newId(), orderId: newId(), status: 'success' as const };
  const unknown = publisher.event(eventTypes.paymentSucceeded, ghost.paymentId, ghost);
  await publisher.publish(topics.paymentEvents, unknown);
  assert.match((await withStatus(unknown.id, 'FAILED')).error, /not known to user-service/);
});

test('events that break the contract are dead-lettered without a notification', async () => {
  const userId = newId();
  const bad = publisher.event(eventTypes.paymentSucceeded, userId, { orderId: newId(), userId, status: 'success' });
  await publisher.publish(topics.paymentEvents, bad);
  const { userId: next } = await customer('Dan');
  assert.ok(next);
  assert.equal(await notifications().countDocuments({ eventId: bad.id }), 0);
  const dead = await readTopic(`${topics.paymentEvents}.dlq`, (m) => String(m.event.data.value).includes(bad.id));
  assert.ok(dead.length >= 1);
  for (const message of dead) assert.match(String(message.event.data.reason), /invalid data/);
});
