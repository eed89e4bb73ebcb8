import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, eventually } from '../../tests/e2e/client.ts';
import type { BenchSystem } from './system.ts';

export interface Customer {
  id: string;
  token: string;
}

export const ADDRESS = { line1: '1 Bench Street', city: 'Loadtown', postalCode: '12345', country: 'US' };

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Registers and logs in `count` customers, then waits until each has the cart user-created gives it. */
export async function customers(system: BenchSystem, count: number): Promise<Customer[]> {
  const run = randomBytes(3).toString('hex');
  const password = 'bench-password-1';
  const list = await pool(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const email = `bench-${run}-${i}@example.com`;
      const registered = await call(`${system.url.user}/register`, { body: { name: `Bench ${i}`, email, password } });
      if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered)}`);
      const login = await call(`${system.url.user}/login`, { body: { email, password } });
      if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login)}`);
      return { id: registered.body.id as string, token: login.body.token as string };
    },
  );
  await pool(list, 8, (c) =>
    eventually(
      () => call(`${system.url.cart}/cart/${c.id}`, { token: c.token }),
      (a) => a.status === 200,
      60_000,
      'cart created from user-created',
    ),
  );
  return list;
}

/**
 * Puts one unit of a product into each customer's cart (plain HTTP, not measured). An overloaded
 * product-service makes cart-service answer 503; such an add is tried again, a few times.
 */
export async function fillCarts(system: BenchSystem, list: Customer[], productFor: (i: number) => string, concurrency = 8): Promise<void> {
  await pool(list, concurrency, async (c, i) => {
    for (let attempt = 1; ; attempt++) {
      const added = await call(`${system.url.cart}/cart`, { token: c.token, body: { userId: c.id, productId: productFor(i), quantity: 1 } });
      if (added.status === 200) return;
      if (added.status < 500 || attempt >= 3) throw new Error(`add to cart failed: ${JSON.stringify(added)}`);
      await sleep(500 * attempt);
    }
  });
}

export async function adminLogin(system: BenchSystem, admin: { email: string; password: string }): Promise<string> {
  const login = await call(`${system.url.user}/login`, { body: admin });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login)}`);
  return login.body.token;
}
