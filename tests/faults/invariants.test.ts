import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { type EventRow, findViolations, mailResends, type Snapshot, unwrapDeadLetter, type ViolationKind } from './invariants.ts';

// The checker on hand-made data: a consistent snapshot has no violation, and each kind of
// breach planted into it is found. This is what lets a green fault scenario mean something.

const oid = (n: number) => n.toString(16).padStart(24, '0');
const [P1, P2] = [oid(0xa1), oid(0xa2)];
const [U1, U2] = [oid(0xb1), oid(0xb2)];
const [O1, O2, O3, O4] = [oid(0xc1), oid(0xc2), oid(0xc3), oid(0xc4)];
const [R1, R2, R3, R4] = [oid(0xd1), oid(0xd2), oid(0xd3), oid(0xd4)];
const [Y1, Y2, Y4] = [oid(0xe1), oid(0xe2), oid(0xe4)];
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

const orderData = (orderId: string, userId: string, status: string, productId: string, quantity: number, price: number) => ({
  orderId,
  userId,
  status,
  items: [{ productId, quantity, price }],
  total: price * quantity,
  currency: 'USD',
});
const paymentData = (paymentId: string, orderId: string, userId: string, reservationId: string, amount: number, status: string) => ({
  paymentId,
  orderId,
  userId,
  reservationId,
  amount,
  currency: 'USD',
  method: 'card',
  status,
  timestamp: t0.toISOString(),
});
const event = (topic: string, type: string, subject: string, data: Record<string, unknown>): EventRow => ({ topic, id: randomUUID(), type, subject, data });
const envelope = (e: EventRow) => JSON.stringify({ id: e.id, type: e.type, source: 'test', time: t0.toISOString(), subject: e.subject, data: e.data });
const deadLetter = (topic: string, value: string) =>
  JSON.stringify({
    id: randomUUID(),
    type: 'dead-letter',
    source: 'test',
    time: t0.toISOString(),
    subject: 'x',
    data: { topic, partition: 0, offset: 1, key: 'x', value, encoding: 'utf8', headers: {}, reason: 'test' },
  });

/** Four orders that ended every way they can: confirmed; failed (declined); cancelled (expired unpaid); failed after a charge (refunded, stock returned). */
function consistent(): Snapshot {
  const events: EventRow[] = [
    event('user-created', 'user.created', U1, { userId: U1, email: 'a@x.test', name: 'A' }),
    event('user-created', 'user.created', U2, { userId: U2, email: 'b@x.test', name: 'B' }),
    event('order-events', 'order.created', O1, orderData(O1, U1, 'pending', P1, 2, 19.99)),
    event('order-events', 'order.created', O2, orderData(O2, U2, 'pending', P2, 1, 10)),
    event('order-events', 'order.created', O3, orderData(O3, U1, 'pending', P2, 1, 10)),
    event('order-events', 'order.created', O4, orderData(O4, U2, 'pending', P1, 1, 19.99)),
    event('order-events', 'order.confirmed', O1, orderData(O1, U1, 'confirmed', P1, 2, 19.99)),
    event('order-events', 'order.failed', O2, orderData(O2, U2, 'failed', P2, 1, 10)),
    event('order-events', 'order.cancelled', O3, orderData(O3, U1, 'cancelled', P2, 1, 10)),
    event('order-events', 'order.failed', O4, orderData(O4, U2, 'failed', P1, 1, 19.99)),
    event('payment-events', 'payment.succeeded', O1, paymentData(Y1, O1, U1, R1, 39.98, 'success')),
    event('payment-events', 'payment.failed', O2, paymentData(Y2, O2, U2, R2, 10, 'failure')),
    event('payment-events', 'payment.succeeded', O4, paymentData(Y4, O4, U2, R4, 19.99, 'success')),
    event('payment-events', 'payment.refunded', O4, paymentData(Y4, O4, U2, R4, 19.99, 'refunded')),
    event('inventory-events', 'reservation.committed', R1, { reservationId: R1, orderId: O1, status: 'COMMITTED', items: [{ productId: P1, quantity: 2 }] }),
    event('inventory-events', 'reservation.released', R2, { reservationId: R2, orderId: O2, status: 'CANCELLED', items: [{ productId: P2, quantity: 1 }] }),
    event('inventory-events', 'reservation.expired', R3, { reservationId: R3, orderId: O3, status: 'EXPIRED', items: [{ productId: P2, quantity: 1 }] }),
  ];
  const notifiedTypes = new Set([
    'user.created',
    'order.confirmed',
    'order.failed',
    'order.cancelled',
    'payment.succeeded',
    'payment.failed',
    'payment.refunded',
  ]);
  const notifications = events
    .filter((e) => notifiedTypes.has(e.type))
    .map((e, i) => ({
      id: oid(0xf00 + i),
      eventId: e.id,
      userId: String(e.data.userId),
      ...(e.data.orderId ? { orderId: String(e.data.orderId) } : {}),
      type: e.type,
      status: 'SENT',
      attempts: 1,
    }));
  return {
    takenAt: at(120),
    ttlSeconds: 20,
    marginSeconds: 15,
    initialStock: { [P1]: 5, [P2]: 3 },
    acknowledgedOrders: [O1, O2, O3, O4],
    users: [U1, U2],
    stock: [
      { productId: P1, onHand: 3, reserved: 0, available: 3, holds: [] },
      { productId: P2, onHand: 3, reserved: 0, available: 3, holds: [] },
    ],
    reservations: [
      { id: R1, orderId: O1, status: 'COMMITTED', items: [{ productId: P1, quantity: 2 }] },
      { id: R2, orderId: O2, status: 'CANCELLED', items: [{ productId: P2, quantity: 1 }] },
      { id: R3, orderId: O3, status: 'EXPIRED', items: [{ productId: P2, quantity: 1 }] },
      { id: R4, orderId: O4, status: 'RETURNED', items: [{ productId: P1, quantity: 1 }] },
    ],
    orders: [
      {
        id: O1,
        userId: U1,
        status: 'confirmed',
        items: [{ productId: P1, quantity: 2 }],
        totalMinor: 3998,
        reservationId: R1,
        createdAt: at(0),
        updatedAt: at(1),
      },
      {
        id: O2,
        userId: U2,
        status: 'failed',
        items: [{ productId: P2, quantity: 1 }],
        totalMinor: 1000,
        reservationId: R2,
        createdAt: at(0),
        updatedAt: at(1),
      },
      {
        id: O3,
        userId: U1,
        status: 'cancelled',
        items: [{ productId: P2, quantity: 1 }],
        totalMinor: 1000,
        reservationId: R3,
        createdAt: at(0),
        updatedAt: at(21),
      },
      {
        id: O4,
        userId: U2,
        status: 'failed',
        items: [{ productId: P1, quantity: 1 }],
        totalMinor: 1999,
        reservationId: R4,
        createdAt: at(0),
        updatedAt: at(34),
      },
    ],
    payments: [
      { id: Y1, orderId: O1, status: 'success', amountMinor: 3998 },
      { id: Y2, orderId: O2, status: 'failure', amountMinor: 1000 },
      { id: oid(0xe3), orderId: O3, status: 'voided', amountMinor: 1000 },
      { id: Y4, orderId: O4, status: 'refunded', amountMinor: 1999 },
    ],
    notifications,
    mails: notifications.map((n) => ({ messageId: `<${n.id}@shop.local>`, to: ['a@x.test'], subject: n.type })),
    outboxes: [],
    events,
    deadLetters: [
      // Poison belongs in the DLQ: none of these is a violation.
      { topic: 'order-events.dlq', partition: 0, offset: 0, value: deadLetter('order-events', '{not json') },
      {
        topic: 'order-events.dlq',
        partition: 0,
        offset: 1,
        value: deadLetter('order-events', envelope(event('order-events', 'order.confirmed', O1, { orderId: 'nope' }))),
      },
      {
        topic: 'payment-events.dlq',
        partition: 0,
        offset: 0,
        value: deadLetter('payment-events', envelope(event('payment-events', 'payment.exploded', O1, {}))),
      },
      { topic: 'user-created.dlq', partition: 0, offset: 0, value: 'raw bytes' },
    ],
  };
}

const find = <T>(list: T[], match: (item: T) => boolean): T => {
  const item = list.find(match);
  assert.ok(item, 'fixture item');
  return item;
};

const breaches: [ViolationKind, string, (s: Snapshot) => void][] = [
  [
    'stock-arithmetic',
    'available does not equal onHand − reserved',
    (s) => {
      find(s.stock, (r) => r.productId === P1).available = 4;
    },
  ],
  [
    'stock-negative',
    'stock below zero',
    (s) =>
      Object.assign(
        find(s.stock, (r) => r.productId === P2),
        { onHand: -1, available: -1 },
      ),
  ],
  [
    'stock-holds',
    'reserved without holds',
    (s) =>
      Object.assign(
        find(s.stock, (r) => r.productId === P1),
        { reserved: 1, available: 2 },
      ),
  ],
  [
    'stock-missing',
    'a product lost its stock record',
    (s) => {
      s.stock = s.stock.filter((r) => r.productId !== P2);
    },
  ],
  [
    'stock-mismatch',
    'units vanished from the shelf',
    (s) =>
      Object.assign(
        find(s.stock, (r) => r.productId === P2),
        { onHand: 2, available: 2 },
      ),
  ],
  [
    'oversell',
    'more confirmed than put in',
    (s) => {
      s.initialStock = { [P1]: 1, [P2]: 3 };
    },
  ],
  [
    'hold-stale',
    'a committed reservation still holds units',
    (s) =>
      Object.assign(
        find(s.stock, (r) => r.productId === P1),
        { reserved: 1, available: 2, holds: [{ reservationId: R1, quantity: 1 }] },
      ),
  ],
  [
    'order-not-terminal',
    'an order stuck pending',
    (s) => {
      find(s.orders, (o) => o.id === O3).status = 'pending';
    },
  ],
  [
    'order-late',
    'an order that ended after TTL + margin',
    (s) => {
      find(s.orders, (o) => o.id === O1).updatedAt = at(36);
    },
  ],
  [
    'order-lost',
    'an acknowledged order that is not stored',
    (s) => {
      s.acknowledgedOrders?.push(oid(0x99));
    },
  ],
  [
    'order-failed-unavailable',
    'an order failed because a dependency was away',
    (s) => {
      const order = find(s.orders, (o) => o.id === O1);
      order.status = 'failed';
      order.reason = 'payment-service is unavailable';
    },
  ],
  [
    'payment-count',
    'a confirmed order without its payment',
    (s) => {
      find(s.payments, (p) => p.id === Y1).status = 'refunded';
    },
  ],
  [
    'payment-count',
    'a confirmed order charged twice',
    (s) => {
      s.payments.push({ id: oid(0xe9), orderId: O1, status: 'success', amountMinor: 3998 });
    },
  ],
  [
    'payment-amount',
    'a charge that is not the total',
    (s) => {
      find(s.payments, (p) => p.id === Y1).amountMinor = 100;
    },
  ],
  [
    'payment-standing',
    'a failed order still charged',
    (s) => {
      find(s.payments, (p) => p.id === Y4).status = 'success';
    },
  ],
  [
    'payment-stuck',
    'a charge left processing',
    (s) => {
      find(s.payments, (p) => p.orderId === O3).status = 'processing';
    },
  ],
  [
    'payment-orphan',
    'money taken for no order',
    (s) => {
      s.payments.push({ id: oid(0xe8), orderId: oid(0x77), status: 'success', amountMinor: 1 });
    },
  ],
  [
    'reservation-not-committed',
    'a confirmed order whose stock was never committed',
    (s) => {
      find(s.reservations, (r) => r.id === R1).status = 'PENDING';
    },
  ],
  [
    'reservation-holding',
    'a failed order still holding stock',
    (s) => {
      find(s.reservations, (r) => r.id === R2).status = 'PENDING';
    },
  ],
  [
    'reservation-holding',
    'a cancelled order whose reservation committed',
    (s) => {
      find(s.reservations, (r) => r.id === R3).status = 'COMMITTED';
    },
  ],
  [
    'reservation-orphan',
    'stock held for no order',
    (s) => {
      s.reservations.push({ id: oid(0xd9), orderId: oid(0x78), status: 'PENDING', items: [] });
    },
  ],
  [
    'notification-missing',
    'an event nobody was told about',
    (s) => {
      s.notifications = s.notifications.filter((n) => !(n.type === 'order.confirmed' && n.orderId === O1));
    },
  ],
  [
    'notification-duplicate',
    'an event notified twice',
    (s) => {
      s.notifications.push({ ...find(s.notifications, (n) => n.type === 'order.failed'), id: oid(0xfff) });
    },
  ],
  [
    'notification-duplicate',
    'the same news under two event ids',
    (s) => {
      s.notifications.push({ ...find(s.notifications, (n) => n.type === 'order.failed'), id: oid(0xffe), eventId: randomUUID() });
    },
  ],
  [
    'notification-unsent',
    'a notification never sent',
    (s) => {
      find(s.notifications, (n) => n.type === 'payment.failed').status = 'FAILED';
    },
  ],
  [
    'mail-duplicate',
    'one notification mailed twice',
    (s) => {
      s.mails?.push({ ...find(s.mails ?? [], () => true) });
    },
  ],
  [
    'mail-missing',
    'a SENT notification without its mail',
    (s) => {
      s.mails?.pop();
    },
  ],
  [
    'outbox-pending',
    'an event left in an outbox',
    (s) => {
      s.outboxes.push({ database: 'x_order', collection: 'orders', id: O1, pending: 1 });
    },
  ],
  [
    'event-twice',
    'an order announced terminal twice',
    (s) => {
      s.events.push(event('order-events', 'order.confirmed', O1, orderData(O1, U1, 'confirmed', P1, 2, 19.99)));
    },
  ],
  [
    'event-twice',
    'a payment announced twice',
    (s) => {
      s.events.push(event('payment-events', 'payment.refunded', O4, paymentData(Y4, O4, U2, R4, 19.99, 'refunded')));
    },
  ],
  [
    'event-twice',
    'stock committed twice',
    (s) =>
      void s.events.push(
        event('inventory-events', 'reservation.committed', R1, {
          reservationId: R1,
          orderId: O1,
          status: 'COMMITTED',
          items: [{ productId: P1, quantity: 2 }],
        }),
      ),
  ],
  [
    'event-missing',
    'a terminal order never announced',
    (s) => {
      s.events = s.events.filter((e) => !(e.type === 'order.failed' && e.subject === O2));
    },
  ],
  [
    'event-missing',
    'an order.created dropped',
    (s) => {
      s.events = s.events.filter((e) => !(e.type === 'order.created' && e.subject === O3));
    },
  ],
  [
    'event-missing',
    'a payment.succeeded dropped',
    (s) => {
      s.events = s.events.filter((e) => !(e.type === 'payment.succeeded' && e.subject === O1));
    },
  ],
  [
    'event-missing',
    'a payment.refunded dropped',
    (s) => {
      s.events = s.events.filter((e) => e.type !== 'payment.refunded');
    },
  ],
  [
    'event-missing',
    'a reservation.committed dropped',
    (s) => {
      s.events = s.events.filter((e) => e.type !== 'reservation.committed');
    },
  ],
  [
    'event-missing',
    'a reservation.expired dropped',
    (s) => {
      s.events = s.events.filter((e) => e.type !== 'reservation.expired');
    },
  ],
  [
    'event-missing',
    'a user.created dropped',
    (s) => {
      s.events = s.events.filter((e) => !(e.type === 'user.created' && e.subject === U2));
      s.notifications = s.notifications.filter((n) => !(n.type === 'user.created' && n.userId === U2));
    },
  ],
  [
    'event-mismatch',
    'announced otherwise than stored',
    (s) => {
      find(s.events, (e) => e.type === 'order.failed' && e.subject === O4).type = 'order.cancelled';
    },
  ],
  [
    'dlq-valid',
    'a valid event dead-lettered',
    (s) =>
      void s.deadLetters.push({
        topic: 'order-events.dlq',
        partition: 1,
        offset: 7,
        value: deadLetter('order-events', envelope(event('order-events', 'order.confirmed', O1, orderData(O1, U1, 'confirmed', P1, 2, 19.99)))),
      }),
  ],
];

test('a consistent system has no violation', () => {
  assert.deepEqual(findViolations(consistent()), []);
});

for (const [kind, what, breach] of breaches) {
  test(`finds ${kind}: ${what}`, () => {
    const snapshot = consistent();
    breach(snapshot);
    const found = findViolations(snapshot);
    assert.ok(
      found.some((v) => v.kind === kind),
      `expected ${kind}, got ${JSON.stringify(found)}`,
    );
  });
}

test('every kind of violation is planted above', () => {
  const planted = new Set(breaches.map(([kind]) => kind));
  // Keep in step with ViolationKind: a kind no test can trigger is a check no one proved.
  const all: ViolationKind[] = [
    'stock-arithmetic',
    'stock-negative',
    'stock-holds',
    'stock-missing',
    'stock-mismatch',
    'oversell',
    'hold-stale',
    'order-not-terminal',
    'order-late',
    'order-lost',
    'order-failed-unavailable',
    'payment-count',
    'payment-amount',
    'payment-standing',
    'payment-stuck',
    'payment-orphan',
    'reservation-not-committed',
    'reservation-holding',
    'reservation-orphan',
    'notification-missing',
    'notification-duplicate',
    'notification-unsent',
    'mail-duplicate',
    'mail-missing',
    'outbox-pending',
    'event-twice',
    'event-missing',
    'event-mismatch',
    'dlq-valid',
  ];
  assert.deepEqual(
    all.filter((k) => !planted.has(k)),
    [],
  );
});

test('a mail resent after an attempt of its own (SENT not recorded, lease ran out) is the documented at-least-once window, reported but no violation', () => {
  const snapshot = consistent();
  const n = find(snapshot.notifications, (x) => x.type === 'order.confirmed');
  n.attempts = 2;
  snapshot.mails?.push({ messageId: `<${n.id}@shop.local>`, to: ['a@x.test'], subject: n.type });
  assert.deepEqual(findViolations(snapshot), []);
  assert.deepEqual(mailResends(snapshot), [`${n.id} ×2`]);
});

test('a dead letter is unwrapped to its original topic and value, base64 included', () => {
  const value = '{"a":1}';
  const wrapped = JSON.parse(deadLetter('payment-events', value));
  wrapped.data.value = Buffer.from(value).toString('base64');
  wrapped.data.encoding = 'base64';
  assert.deepEqual(unwrapDeadLetter({ topic: 'payment-events.dlq', partition: 0, offset: 0, value: JSON.stringify(wrapped) }), {
    topic: 'payment-events',
    value,
    reason: 'test',
  });
  assert.deepEqual(unwrapDeadLetter({ topic: 'order-events.dlq', partition: 0, offset: 0, value: 'raw' }), { topic: 'order-events', value: 'raw' });
});
