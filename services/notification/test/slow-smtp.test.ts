import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { eventTypes, type PaymentEventData, topics } from '@shop/contracts';
import { freshGroupAtEnd, untilGroupCaughtUp } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { startServiceProcess } from '@shop/testing/processes';
import { MongoClient } from 'mongodb';
import { fileScope, newId, startPublisher, uniqueEmail } from './support.ts';

const hooks = fileScope(after);

/** An SMTP server that accepts connections and never says a word: every send waits for its timeout. */
async function silentSmtp() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  hooks.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as { port: number }).port;
}

test('a silent SMTP server adds no consumer lag: every event is read and its notification stored at once', async () => {
  // Each send waits 3 s for a greeting that never comes: sent inside the consume loop, 30 events
  // took 90 s. The service runs as a real process (stopped with SIGKILL at the end), so no send
  // still waiting on the silent server can hold up this file.
  const group = await freshGroupAtEnd('notification-slow-smtp', [topics.userCreated, topics.userDeleted, topics.orderEvents, topics.paymentEvents]);
  const env = testEnv({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(await silentSmtp()),
    SMTP_TIMEOUT_MS: '3000',
    MAIL_CONCURRENCY: '2',
    RETRY_INTERVAL_MS: '200',
    RETRY_BACKOFF_MS: '200',
    USER_SERVICE_URL: 'http://127.0.0.1:9',
    KAFKA_GROUP_ID: group,
  });
  const service = await startServiceProcess('notification', env);
  hooks.after(() => service.kill());
  const mongo = await new MongoClient(env.MONGO_URI as string).connect();
  hooks.after(() => mongo.close());
  const db = mongo.db(env.MONGO_DB);

  const publisher = startPublisher(hooks);
  const userId = newId();
  await publisher.publish(topics.userCreated, publisher.event(eventTypes.userCreated, userId, { userId, email: uniqueEmail('slow'), name: 'Slow' }));
  const events = Array.from({ length: 30 }, () => {
    const data: PaymentEventData = {
      paymentId: newId(),
      orderId: newId(),
      userId,
      reservationId: newId(),
      amount: 5,
      currency: 'USD',
      method: 'card',
      status: 'success',
      timestamp: new Date().toISOString(),
    };
    return publisher.event(eventTypes.paymentSucceeded, data.paymentId, data);
  });
  for (const event of events) await publisher.publish(topics.paymentEvents, event);

  const ids = events.map((e) => e.id);
  // Every event handled (committed) while no mail can go out: a fraction of the 90 s the sends would take one after another.
  await untilGroupCaughtUp(group, [topics.paymentEvents], 20_000);
  const notifications = db.collection('notifications');
  assert.equal(await notifications.countDocuments({ eventId: { $in: ids } }), ids.length, 'one notification per event, stored');
  assert.equal(await notifications.countDocuments({ eventId: { $in: ids }, status: 'SENT' }), 0, 'nothing could be sent');
});
