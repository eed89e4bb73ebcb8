import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { testEnv } from '@shop/testing/env';
import { type ServiceProcess, startServiceProcess } from '@shop/testing/processes';
import { demoCatalog, demoCustomer } from '../../scripts/demo/catalog.ts';
import { call, eventually } from '../e2e/client.ts';
import { ADMIN, type System, startSystem } from '../e2e/system.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let system: System;
let gateway: ServiceProcess;

before(async () => {
  system = await startSystem();
  const upstreams = Object.fromEntries(Object.entries(system.url).map(([name, url]) => [`${name.toUpperCase()}_SERVICE_URL`, url]));
  gateway = await startServiceProcess('gateway', { ...testEnv(), ...upstreams, LOG_LEVEL: 'warn' }, { timeoutMs: 60_000 });
});
after(async () => {
  await gateway?.kill();
  await system?.stop();
});

/** scripts/demo-data.ts as the run command calls it. */
async function loadDemo(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [resolve(ROOT, 'scripts/demo-data.ts')], {
    env: { PATH: process.env.PATH ?? '', GATEWAY_URL: gateway.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  });
  return stdout;
}

test('the demo data loads through the gateway: 40 products with stock in six categories, and a customer who can log in; a second run adds nothing', async () => {
  const first = await loadDemo();
  assert.match(first, /40 products created, 0 already there/);
  const second = await loadDemo();
  assert.match(second, /0 products created, 40 already there/);
  assert.match(second, /already registered/);

  const categories = [...new Set(demoCatalog.map((p) => p.category))];
  assert.equal(categories.length, 6);
  for (const category of categories) {
    const listed = await call(`${gateway.url}/api/product/product?category=${category}&limit=200`);
    assert.deepEqual(
      listed.body.items.map((p: { name: string }) => p.name).sort(),
      demoCatalog
        .filter((p) => p.category === category)
        .map((p) => p.name)
        .sort(),
      category,
    );
  }
  // Stock follows through product-events into inventory-service; sold-out items are part of the demo.
  const lamp = demoCatalog.find((p) => p.name === 'Brass desk lamp');
  const [listedLamp] = (await call(`${gateway.url}/api/product/product?category=lighting&q=Brass&limit=5`)).body.items;
  await eventually(
    () => call(`${gateway.url}/api/product/product/${listedLamp.id}`),
    (a) => a.body?.inventory?.onHand === lamp?.stock,
    20_000,
    'the lamp in stock',
  );
  assert.ok(demoCatalog.some((p) => p.stock === 0));

  const login = await call(`${gateway.url}/api/user/login`, { body: { email: demoCustomer.email, password: demoCustomer.password } });
  assert.equal(login.status, 200);
  assert.equal(login.body.user.role, 'customer');
});
