import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ServiceProcess } from '@shop/testing/processes';
import { fileScope } from '@shop/testing/support';
import type { System } from '../../../tests/e2e/system.ts';
import { ADMIN, adminToken, call, fakeWebDist, startGateway, startSystem } from './support.ts';

let system: System;
let gateway: ServiceProcess;
const scope = fileScope(after);

before(async () => {
  system = await startSystem();
  scope.after(() => system.stop());
  gateway = await startGateway(scope, system, { WEB_DIST_DIR: fakeWebDist() });
});

const api = (path: string) => `${gateway.url}/api${path}`;

test('register, log in and read your own user through /api/user, with the Authorization header passed on', async () => {
  const email = `gw-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const registered = await call(api('/user/register'), { body: { name: 'Grace', email, password: 'password-123' } });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  const login = await call(api('/user/login'), { body: { email, password: 'password-123' } });
  assert.equal(login.status, 200);
  const token = login.body.token as string;

  const own = await call(api(`/user/users/${registered.body.id}`), { token });
  assert.equal(own.status, 200);
  assert.equal(own.body.email, email);
  const anonymous = await fetch(api(`/user/users/${registered.body.id}`));
  assert.equal(anonymous.status, 401, 'no token, no access: the service decides, the gateway adds nothing');
  assert.match(anonymous.headers.get('content-type') ?? '', /application\/problem\+json/);
  const listing = await call(api('/user/users'), { token });
  assert.equal(listing.status, 403, "a customer's token stays a customer's token");
});

test('bodies, methods and query strings reach the service as sent; its answers come back as they are', async () => {
  const admin = await adminToken(system);
  const category = `gw-${Math.random().toString(36).slice(2, 8)}`;
  const created = await call(api('/product/product'), { token: admin, body: { name: 'Gateway lamp', category, price: 12.5, stock: 3 } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const listed = await call(api(`/product/product?category=${category}&limit=5`));
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body.items.map((p: { id: string }) => p.id),
    [created.body.id],
  );
  const changed = await call(api(`/product/product/${created.body.id}`), { method: 'PATCH', token: admin, body: { price: 13 } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.price, 13);

  const invalid = await call(api('/product/product'), { token: admin, body: { name: 'No price', category } });
  assert.equal(invalid.status, 400, "the service's own validation answers");
  assert.equal(invalid.body.code, 'VALIDATION_FAILED');
  const notJson = await fetch(api('/user/login'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  assert.equal(notJson.status, 415, 'the body is passed on untouched, content type included');
  const deleted = await fetch(api(`/product/product/${created.body.id}`), { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
  assert.equal(deleted.status, 204);
});

test("every service is reachable under its name, and the call joins the caller's trace", async () => {
  const traceId = 'ab'.repeat(16);
  for (const name of ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification']) {
    const answer = await fetch(api(`/${name}/health/ready`), { headers: { traceparent: `00-${traceId}-${'c'.repeat(16)}-01` } });
    assert.equal(answer.status, 200, name);
    assert.deepEqual(((await answer.json()) as { status: string }).status, 'ready');
    assert.match(answer.headers.get('traceparent') ?? '', new RegExp(`^00-${traceId}-`), `${name} answered within the caller's trace`);
  }
});

test('an unknown service is a 404 problem, not a call anywhere', async () => {
  for (const path of ['/nope/anything', '/users/register', '/gateway-x/y', '/gateway/nope']) {
    const answer = await fetch(api(path));
    assert.equal(answer.status, 404, path);
    assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await answer.json()) as { code: string }).code, 'NOT_FOUND');
  }
});

test('the web app: files as they are, index.html for the app routes, 404 for a missing file', async () => {
  const home = await fetch(`${gateway.url}/`);
  assert.equal(home.status, 200);
  assert.match(await home.text(), /<div id="root">/);
  const deep = await fetch(`${gateway.url}/orders/0123456789abcdef01234567`);
  assert.equal(deep.status, 200);
  assert.match(await deep.text(), /<div id="root">/);
  const asset = await fetch(`${gateway.url}/assets/app-1.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await fetch(`${gateway.url}/assets/app-0.js`)).status, 404);
});

test('without a built web app the page says how to build it; the API still works', async (t) => {
  const bare = await startGateway(t, system, { WEB_DIST_DIR: '/nonexistent/web/dist' });
  const page = await fetch(`${bare.url}/`);
  assert.equal(page.status, 503);
  assert.match(await page.text(), /npm run build --workspace web/);
  const login = await call(`${bare.url}/api/user/login`, { body: ADMIN });
  assert.equal(login.status, 200);
});

test('an upstream that is down is a 503 problem naming it', async (t) => {
  const lonely = await startGateway(t, system, { CART_SERVICE_URL: 'http://127.0.0.1:9' });
  const answer = await fetch(`${lonely.url}/api/cart/cart/0123456789abcdef01234567`);
  assert.equal(answer.status, 503);
  const body = (await answer.json()) as { code: string; detail: string };
  assert.equal(body.code, 'DEPENDENCY_UNAVAILABLE');
  assert.match(body.detail, /cart-service/);
});

test('OpenAPI: the gateway documents its own routes, not the forwarding', async () => {
  const spec = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(!Object.keys(spec.paths).some((path) => path.startsWith('/api/{service}') || path === '/*'), Object.keys(spec.paths).join(', '));
});
