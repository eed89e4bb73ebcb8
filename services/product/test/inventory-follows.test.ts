import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { startOrderStandIn } from '@shop/testing/order-stand-in';
import { freePort } from '@shop/testing/processes';
import { buildInventoryService } from '../../inventory/src/app.ts';
import { loadInventoryConfig } from '../../inventory/src/config.ts';
import { inventoryEnv } from '../../inventory/test/support.ts';
import { createProduct, eventually, startProductService } from './support.ts';

test('inventory follows products even across an inventory-service outage; a product page degrades to inventory: null', async (t) => {
  const port = await freePort();
  // Its consumer reads from now on, and asks a stand-in order-service about other tests' closed orders.
  const env = inventoryEnv({ PORT: String(port), ORDER_SERVICE_URL: (await startOrderStandIn(t)).url });
  const group = await freshGroupAtEnd('inventory-follows', [topics.productEvents, topics.orderEvents, env.PAYMENT_TOPIC as string]);
  const inventoryConfig = loadInventoryConfig({ ...env, KAFKA_GROUP_ID: group });
  const product = await startProductService(t, { INVENTORY_SERVICE_URL: `http://127.0.0.1:${port}` });
  const { http } = product.service;

  // inventory-service runs, then stops (its consumer group has joined and left).
  const first = await buildInventoryService(inventoryConfig);
  await first.listen();
  await first.close();

  // A product created while it is down: the product page still answers, without stock.
  const lamp = await createProduct(product, { name: 'Lamp', category: 'lights', price: 12.5, stock: 7 });
  const whileDown = await http.inject({ method: 'GET', url: `/product/${lamp.id}` });
  assert.equal(whileDown.statusCode, 200);
  assert.equal(whileDown.json().inventory, null);
  assert.equal(whileDown.json().price, 12.5);

  // A new instance on the same database catches up from product-events.
  const second = await buildInventoryService(inventoryConfig);
  t.after(() => second.close());
  await second.listen();
  const page = await eventually(
    () => http.inject({ method: 'GET', url: `/product/${lamp.id}` }).then((r) => r.json()),
    (body) => body.inventory !== null,
  );
  assert.deepEqual(page.inventory, { onHand: 7, reserved: 0, available: 7 });

  // Deleting the product removes its stock record.
  assert.equal((await http.inject({ method: 'DELETE', url: `/product/${lamp.id}`, headers: product.headers.admin })).statusCode, 204);
  await eventually(
    () => second.http.inject({ method: 'GET', url: `/inventory/${lamp.id}` }).then((r) => r.statusCode),
    (status) => status === 404,
  );
});
