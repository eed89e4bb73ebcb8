import { deadLetterEvent } from '@shop/platform/kafka/dead-letter';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { ensureTopics } from '@shop/platform/kafka/topics';
import { createLogger } from '@shop/platform/log';
import { call, eventually } from '../e2e/client.ts';
import { ADMIN, type Shop } from './shop.ts';

// Set-up and checks beside the browser: what a test arranges or verifies without the page.

export async function adminToken(shop: Shop): Promise<string> {
  const login = await call(`${shop.url}/api/user/login`, { body: ADMIN });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login)}`);
  return login.body.token;
}

/** A product with `stock` units, once its stock record exists (product-events → inventory). */
export async function createProduct(
  shop: Shop,
  token: string,
  product: { name: string; category: string; price: number; stock: number; description?: string },
) {
  const created = await call(`${shop.url}/api/product/product`, { token, body: product });
  if (created.status !== 201) throw new Error(`product not created: ${JSON.stringify(created)}`);
  await eventually(
    () => stockOf(shop, created.body.id),
    (s) => s?.onHand === product.stock,
    30_000,
    `stock record of ${product.name}`,
  );
  return created.body.id as string;
}

export async function stockOf(shop: Shop, productId: string) {
  const answer = await call(`${shop.url}/api/inventory/inventory/${productId}`);
  return answer.status === 200 ? (answer.body as { onHand: number; reserved: number; available: number }) : null;
}

/** The mails the catcher (infra/bin/mail) holds for an address. */
export async function mailsTo(address: string) {
  const port = process.env.MAIL_HTTP_PORT ?? '18025';
  return (await call(`http://127.0.0.1:${port}/api/messages?to=${encodeURIComponent(address)}`)).body as { subject: string; text: string }[];
}

export { eventually };

/**
 * A dead letter in a DLQ of this test's own (`<topic>.dlq`, where nobody else's consumers read
 * or replay to), as a consumer writes one: a valid event its handler rejected.
 */
export async function deadLetterOfOwnTopic(topic: string): Promise<void> {
  const brokers = (process.env.KAFKA_BROKER ?? '127.0.0.1:19092').split(',');
  await ensureTopics({ brokers, clientId: 'browser-test', topics: [topic] });
  const producer = createEventProducer({ brokers, clientId: 'browser-test', logger: createLogger({ service: 'browser-test', level: 'silent' }) });
  try {
    const event = createEvent({
      type: 'order.confirmed',
      source: 'browser-test',
      subject: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      data: { orderId: 'aaaaaaaaaaaaaaaaaaaaaaaa' },
    });
    const letter = deadLetterEvent({
      source: 'cart-service',
      topic,
      partition: 0,
      offset: 7,
      key: event.subject,
      value: Buffer.from(JSON.stringify(event)),
      headers: {},
      reason: 'rejected by handler: NOT_FOUND: no such cart',
    });
    await producer.publish(`${topic}.dlq`, letter, { key: event.subject });
  } finally {
    await producer.close();
  }
}
