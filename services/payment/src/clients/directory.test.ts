import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAnswering, contractMismatch } from '@shop/testing/answering';
import { createDirectory } from './directory.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const order = { id: id(1), userId: id(2), status: 'pending', total: 20.19, currency: 'USD', reservationId: null };

test('an order is read in cents; an order-service answer without its total fails loudly', async (t) => {
  const users = await clientAnswering(t, 'user-service', 404, {});
  const good = createDirectory({ users, orders: await clientAnswering(t, 'order-service', 200, order) });
  assert.deepEqual(await good.findOrder(order.id), { id: order.id, userId: order.userId, status: 'pending', totalMinor: 2019, currency: 'USD' });
  assert.equal(await good.userExists(order.userId), false);
  const { total: _dropped, ...changed } = order;
  const directory = createDirectory({ users, orders: await clientAnswering(t, 'order-service', 200, changed) });
  await assert.rejects(directory.findOrder(order.id), contractMismatch('total'));
});
