import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminToken, call, customer, eventually } from './client.ts';
import { mailApi, type System, startSystem } from './system.ts';

let system: System;
let admin: string;

before(async () => {
  system = await startSystem();
  admin = await adminToken(system);
});
after(() => system?.stop());

const terminal = new Set(['confirmed', 'failed', 'cancelled']);

async function product(stock: number, price = 19.99): Promise<string> {
  const created = await call(`${system.url.product}/product`, { token: admin, body: { name: `Lamp ${Math.random()}`, category: 'lighting', price, stock } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await eventually(
    () => stockOf(created.body.id),
    (s) => s?.onHand === stock,
    20_000,
    'inventory record',
  );
  return created.body.id;
}

async function stockOf(productId: string) {
  const answer = await call(`${system.url.inventory}/inventory/${productId}`, { token: admin });
  return answer.status === 200 ? (answer.body as { onHand: number; reserved: number; available: number }) : null;
}

async function cartWith(user: { id: string; token: string }, productId: string, quantity: number) {
  await eventually(
    () => call(`${system.url.cart}/cart/${user.id}`, { token: user.token }),
    (a) => a.status === 200,
    20_000,
    'cart created from user-created',
  );
  const added = await call(`${system.url.cart}/cart`, { token: user.token, body: { userId: user.id, productId, quantity } });
  assert.equal(added.status, 200, JSON.stringify(added.body));
}

const placeOrder = (user: { id: string; token: string }, paymentInfo = 'card', key?: string) =>
  call(`${system.url.order}/order`, {
    token: user.token,
    body: { userId: user.id, address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentInfo },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

const orderStatus = (user: { token: string }, id: string) => call(`${system.url.order}/order/${id}`, { token: user.token });
// Generous on purpose: after a SIGKILL the dead consumer holds its partitions until its Kafka
// session expires (10 s), then the group rebalances, on a CI machine busy with other test files.
// What these tests check is that every order ends, not how fast.
const finalOrder = (user: { token: string }, id: string) =>
  eventually(
    () => orderStatus(user, id),
    (a) => terminal.has(a.body?.status),
    60_000,
    `order ${id} terminal`,
  );
const mails = async (to: string) => (await call(`${mailApi()}/api/messages?to=${encodeURIComponent(to)}`)).body as { subject: string; text: string }[];

test('happy path: register → cart → product → add → order confirmed → stock down → cart empty → mail', async () => {
  const ann = await customer(system, 'ann');
  const productId = await product(5);
  await cartWith(ann, productId, 2);
  const placed = await placeOrder(ann);
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.deepEqual(placed.body.items, [{ productId, quantity: 2, price: 19.99 }]);
  assert.equal(placed.body.total, 39.98);
  const done = await finalOrder(ann, placed.body.id);
  assert.equal(done.body.status, 'confirmed');
  assert.deepEqual(await stockOf(productId), { ...(await stockOf(productId)), onHand: 3, reserved: 0, available: 3 });
  await eventually(
    () => call(`${system.url.cart}/cart/${ann.id}`, { token: ann.token }),
    (a) => a.body?.items?.length === 0,
    20_000,
    'cart emptied',
  );
  const inbox = await eventually(
    () => mails(ann.email),
    (list) => list.some((m) => /confirmed/i.test(m.subject + m.text)),
    20_000,
    'confirmation mail',
  );
  assert.ok(inbox.some((m) => (m.subject + m.text).includes(placed.body.id)));
});

test('declined card: order failed, stock back, mail says so', async () => {
  const bob = await customer(system, 'bob');
  const productId = await product(4);
  await cartWith(bob, productId, 3);
  const placed = await placeOrder(bob, 'card_declined');
  assert.ok([201, 402, 409].includes(placed.status), JSON.stringify(placed.body));
  const id = placed.body.id ?? (await call(`${system.url.order}/orders/user/${bob.id}`, { token: bob.token })).body.items[0].id;
  assert.equal((await finalOrder(bob, id)).body.status, 'failed');
  await eventually(
    () => stockOf(productId),
    (s) => s?.available === 4 && s.reserved === 0 && s.onHand === 4,
    20_000,
    'stock released',
  );
  await eventually(
    () => mails(bob.email),
    (list) => list.some((m) => /fail|declin/i.test(m.subject + m.text)),
    20_000,
    'failure mail',
  );
});

test('race: two customers, one unit left, both order at once → exactly one confirmed, stock never negative', async () => {
  const [c1, c2] = await Promise.all([customer(system, 'race1'), customer(system, 'race2')]);
  const productId = await product(1);
  await Promise.all([cartWith(c1, productId, 1), cartWith(c2, productId, 1)]);
  const answers = await Promise.all([placeOrder(c1), placeOrder(c2)]);
  const outcomes: string[] = [];
  for (const [i, answer] of answers.entries()) {
    const who = i === 0 ? c1 : c2;
    if (answer.status === 409) outcomes.push('refused');
    else {
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      outcomes.push((await finalOrder(who, answer.body.id)).body.status);
    }
  }
  assert.equal(outcomes.filter((o) => o === 'confirmed').length, 1, `outcomes: ${outcomes}`);
  assert.ok(
    outcomes.every((o) => ['confirmed', 'failed', 'refused'].includes(o)),
    `outcomes: ${outcomes}`,
  );
  assert.deepEqual(await stockOf(productId), { ...(await stockOf(productId)), onHand: 0, reserved: 0, available: 0 });
});

test('the same Idempotency-Key twice gives one order and one charge', async () => {
  const cy = await customer(system, 'idem');
  const productId = await product(5);
  await cartWith(cy, productId, 1);
  const [first, second] = await Promise.all([placeOrder(cy, 'card', 'key-123'), placeOrder(cy, 'card', 'key-123')]);
  const again = await placeOrder(cy, 'card', 'key-123');
  assert.ok(first.body.id && first.body.id === second.body.id && first.body.id === again.body.id, JSON.stringify([first, second, again]));
  await finalOrder(cy, first.body.id);
  const orders = await call(`${system.url.order}/orders/user/${cy.id}`, { token: cy.token });
  assert.equal(orders.body.items.length, 1);
  const payments = await call(`${system.url.payment}/payments?orderId=${first.body.id}`, { token: admin });
  assert.equal(payments.body.items.length, 1);
  assert.equal((await stockOf(productId))?.onHand, 4);
});

test("a customer cannot read another's order, cart or notifications, nor pay a different amount", async () => {
  const owner = await customer(system, 'owner');
  const other = await customer(system, 'other');
  const productId = await product(5, 10.5);
  await cartWith(owner, productId, 1);
  const placed = await placeOrder(owner);
  assert.equal(placed.status, 201);
  assert.ok([403, 404].includes((await orderStatus(other, placed.body.id)).status));
  assert.ok([403, 404].includes((await call(`${system.url.order}/orders/user/${owner.id}`, { token: other.token })).status));
  assert.equal((await call(`${system.url.cart}/cart/${owner.id}`, { token: other.token })).status, 403);
  assert.equal((await call(`${system.url.notification}/notifications?userId=${owner.id}`, { token: other.token })).status, 403);
  const pay = await call(`${system.url.payment}/payment`, {
    token: owner.token,
    body: { orderId: placed.body.id, userId: owner.id, reservationId: placed.body.reservationId, amount: 0.01, method: 'card' },
  });
  assert.equal(pay.status, 409, JSON.stringify(pay.body));
  assert.equal((await call(`${system.url.order}/order/${placed.body.id}`)).status, 401);
});

test('a consumer restarted mid-flow resumes from its committed offsets and every order still ends', async () => {
  const buyers = await Promise.all([customer(system, 'r1'), customer(system, 'r2'), customer(system, 'r3')]);
  const productId = await product(10);
  await Promise.all(buyers.map((b) => cartWith(b, productId, 1)));
  const placed = await Promise.all(buyers.map((b) => placeOrder(b)));
  await Promise.all([system.restart('inventory'), system.restart('order')]);
  const finals = await Promise.all(placed.map((p, i) => finalOrder(buyers[i] as { token: string }, p.body.id)));
  assert.deepEqual(
    finals.map((f) => f.body.status),
    ['confirmed', 'confirmed', 'confirmed'],
  );
  await eventually(
    () => stockOf(productId),
    (s) => s?.onHand === 7 && s.reserved === 0 && s.available === 7,
    20_000,
    'stock committed',
  );
});

test("a deleted or demoted user's token stops working in every service within seconds", async () => {
  const alice = await customer(system, 'revoked');
  const cart = () => call(`${system.url.cart}/cart/${alice.id}`, { token: alice.token });
  const orders = () => call(`${system.url.order}/orders/user/${alice.id}`, { token: alice.token });
  // The cart opens on user-created, a moment after registering.
  await eventually(cart, (answer) => answer.status === 200, 15_000, 'the new customer’s cart');
  assert.equal((await orders()).status, 200);
  assert.equal((await call(`${system.url.user}/users/${alice.id}`, { method: 'DELETE', token: alice.token })).status, 204);
  // Each service asks user-service again after TOKEN_CHECK_INTERVAL_MS (5 s by default).
  await eventually(cart, (answer) => answer.status === 401, 15_000, "cart-service refusing the deleted user's token");
  await eventually(orders, (answer) => answer.status === 401, 15_000, "order-service refusing the deleted user's token");

  const bob = await customer(system, 'promoted');
  await call(`${system.url.user}/users/${bob.id}`, { method: 'PATCH', token: admin, body: { role: 'admin' } });
  const bobAdmin = (await call(`${system.url.user}/login`, { body: { email: bob.email, password: 'password-123' } })).body.token as string;
  const createProduct = () =>
    call(`${system.url.product}/product`, { token: bobAdmin, body: { name: 'Revocation probe', category: 'probes', price: 1, stock: 1 } });
  assert.equal((await createProduct()).status, 201);
  await call(`${system.url.user}/users/${bob.id}`, { method: 'PATCH', token: admin, body: { role: 'customer' } });
  await eventually(createProduct, (answer) => answer.status === 401, 15_000, "product-service refusing the demoted admin's token");
});
