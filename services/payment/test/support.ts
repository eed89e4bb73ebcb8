import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@shop/contracts';
import type { Platform } from '@shop/platform/service';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { type OrderStandIn, startOrderStandIn } from '@shop/testing/order-stand-in';
import { testToken } from '@shop/testing/support';
import { buildUserService } from '../../user/src/app.ts';
import { loadUserConfig } from '../../user/src/config.ts';
import { buildPaymentService } from '../src/app.ts';
import { loadPaymentConfig } from '../src/config.ts';

export const newId = () => randomBytes(12).toString('hex');

/** A real user-service, an order stand-in and payment-service, each with a database of its own; closed after the test. */
export async function startPaymentStack(t: TestContext, env: Record<string, string> = {}) {
  const users: Platform = await buildUserService(loadUserConfig(testEnv({ ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024' })));
  t.after(() => users.close());
  const usersUrl = await users.listen();
  const orderService = await startOrderStandIn(t);
  const payment = await buildPaymentService(
    loadPaymentConfig(
      testEnv({
        USER_SERVICE_URL: usersUrl,
        ORDER_SERVICE_URL: orderService.url,
        KAFKA_GROUP_ID: await freshGroupAtEnd('payment-test', [topics.inventoryEvents, topics.orderEvents]),
        SWEEP_INTERVAL_MS: '200',
        ...env,
      }),
    ),
  );
  t.after(() => payment.close());
  // A service other than order-service: payment-service checks its charges against order- and user-service.
  const serviceHeaders = { authorization: `Bearer ${testToken('payment-service', { sub: 'cart-service', role: 'service' })}` };
  // order-service itself, whose charges are trusted as they come (it has just checked and priced the order).
  const orderServiceHeaders = { authorization: `Bearer ${testToken('payment-service', { sub: 'order-service', role: 'service' })}` };

  /** Registers a customer; returns their id and bearer header. */
  async function customer() {
    const email = `pay-${newId()}@example.com`;
    const registered = await users.http.inject({ method: 'POST', url: '/register', payload: { name: 'Payer', email, password: 'password-123' } });
    const login = await users.http.inject({ method: 'POST', url: '/login', payload: { email, password: 'password-123' } });
    return { id: registered.json().id as string, headers: { authorization: `Bearer ${login.json().token}` } };
  }

  /** A pending order of `userId` known to the stand-in. */
  function order(userId: string, total = 59.97): OrderStandIn {
    const created = { id: newId(), userId, total, currency: 'USD', status: 'pending', reservationId: newId() };
    orderService.orders.set(created.id, created);
    return created;
  }

  const payBody = (o: OrderStandIn, method = 'card') => ({ orderId: o.id, userId: o.userId, reservationId: o.reservationId, amount: o.total, method });
  const payments = payment.mongo.db.collection('payments');
  return { payment, users, serviceHeaders, orderServiceHeaders, lookups: orderService.asked, customer, order, payBody, payments };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
