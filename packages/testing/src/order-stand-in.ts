import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Principal } from '@shop/platform/auth';
import { testAuth } from './env.ts';
import type { Hooks } from './support.ts';

/** An order as order-service's `GET /order/{id}` answers it: the fields the other services read. */
export interface OrderStandIn {
  id: string;
  userId: string;
  total: number;
  currency: string;
  status: string;
  reservationId: string;
}

/**
 * A stand-in for order-service's `GET /order/{id}` (the one route payment- and inventory-service
 * call), so a service's tests do not depend on the whole ordering stack; like the real one, it
 * admits only service credentials addressed to order-service (and admins).
 */
export async function startOrderStandIn(t: Hooks) {
  const orders = new Map<string, OrderStandIn>();
  const asked = { count: 0 };
  const auth = testAuth('order-service');
  const server = createServer((request, response) => {
    asked.count++;
    const match = /^\/order\/([0-9a-f]{24})$/.exec(request.url ?? '');
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    let principal: Principal | undefined;
    try {
      principal = token ? auth.verify(token) : undefined;
    } catch {}
    const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (principal?.role !== 'service' && principal?.role !== 'admin') return send(401, { status: 401 });
    const order = match && request.method === 'GET' ? orders.get(match[1] as string) : undefined;
    return order ? send(200, order) : send(404, { status: 404 });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, orders, asked };
}
