import { createServer, type ServerResponse } from 'node:http';
import { topics } from '@shop/contracts';
import type { Platform } from '@shop/platform/service';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { type Hooks, newId } from '@shop/testing/support';
import { buildUserService } from '../../user/src/app.ts';
import { loadUserConfig } from '../../user/src/config.ts';
import { buildCartService } from '../src/app.ts';
import { loadCartConfig } from '../src/config.ts';

export { bearer, eventually, fileScope, newId, startPublisher } from '@shop/testing/support';

/** A cart-service on the test infrastructure with its own database, and a consumer group of its own that starts at the topics' ends; closed after the test. */
export async function startCartService(t: Hooks, env: Record<string, string> = {}): Promise<Platform & { consumerGroup: string }> {
  const config = loadCartConfig(testEnv(env));
  const groupId = await freshGroupAtEnd('cart-test', [topics.userCreated, topics.userDeleted, topics.orderEvents]);
  const service = await buildCartService(config, { consumerGroup: groupId });
  t.after(() => service.close());
  return Object.assign(service, { consumerGroup: groupId });
}

/** A real user-service in this process, listening on a free port. */
export async function startUserService(t: Hooks): Promise<{ service: Platform; url: string }> {
  const config = loadUserConfig(testEnv({ ADMIN_EMAIL: 'admin@shop.test', ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024' }));
  const service = await buildUserService(config);
  t.after(() => service.close());
  return { service, url: await service.listen() };
}

/**
 * A stand-in for product-service's `GET /product/{id}` as the contract defines it (404 for an
 * unknown product, `inventory: null` when inventory is down). product-service is written in
 * parallel; the end-to-end suite runs against the real one.
 */
export async function startCatalogStandIn(t: Hooks) {
  const products = new Map<string, number | null>();
  /** Requests answered, by service: what the cart asked where. */
  const asked = { product: 0, inventory: 0 };
  const notFound = (res: ServerResponse) =>
    res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, code: 'NOT_FOUND', title: 'Not found' }));
  // Plays product-service (`/product/{id}`) and inventory-service (`/inventory/{productId}`): a
  // product whose stock is unknown (null) has no stock record, and product-service shows `inventory: null`.
  const server = createServer((req, res) => {
    const [, service, rawId] = /^\/(product|inventory)\/([0-9a-fA-F]{24})$/.exec(req.url ?? '') ?? [];
    const id = rawId?.toLowerCase();
    const available = id === undefined ? undefined : products.get(id);
    if (service === 'product' || service === 'inventory') asked[service]++;
    if (req.method !== 'GET' || id === undefined || available === undefined) return notFound(res);
    if (service === 'inventory') {
      if (available === null) return notFound(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, productId: id, onHand: available, reserved: 0, available }));
      return;
    }
    const inventory = available === null ? null : { onHand: available, reserved: 0, available };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, name: 'Thing', price: 19.99, currency: 'USD', inventory }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    /** A product with this many units available (null: no stock record, inventory unknown). */
    add(available: number | null): string {
      const id = newId();
      products.set(id, available);
      return id;
    },
  };
}
