import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canMove, planItems, publicStatus, reservationStatuses, sameItems, settlement } from './reservation.ts';
import { addsUp, holdFor } from './stock.ts';

const a = 'a'.repeat(24);
const b = 'b'.repeat(24);

test('planning merges duplicate products and orders lines by product', () => {
  assert.deepEqual(
    planItems([
      { productId: b, quantity: 1 },
      { productId: a, quantity: 2 },
      { productId: b, quantity: 3 },
    ]),
    [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 4 },
    ],
  );
  assert.ok(
    sameItems(
      [
        { productId: b, quantity: 2 },
        { productId: b, quantity: 2 },
      ],
      [{ productId: b, quantity: 4 }],
    ),
  );
  assert.ok(!sameItems([{ productId: b, quantity: 4 }], [{ productId: b, quantity: 3 }]));
});

test('the state machine: terminal states stay put; only a late payment reopens an expiry, only a closed order a sale', () => {
  assert.ok(canMove('RESERVING', 'PENDING') && canMove('PENDING', 'COMMITTED') && canMove('PENDING', 'EXPIRED'));
  assert.ok(canMove('EXPIRED', 'RECOMMITTING') && canMove('RECOMMITTING', 'COMMITTED') && canMove('RECOMMITTING', 'EXPIRED'));
  for (const to of reservationStatuses) assert.equal(canMove('COMMITTED', to), to === 'RETURNING', `COMMITTED → ${to}`);
  assert.equal(canMove('CANCELLED', 'PENDING'), false);
  assert.equal(canMove('FAILED', 'PENDING'), false);
  assert.equal(canMove('PENDING', 'RESERVING'), false);
  assert.equal(canMove('RESERVING', 'COMMITTED'), false);
  assert.ok(canMove('COMMITTED', 'RETURNING') && canMove('RETURNING', 'RETURNED'));
  for (const to of reservationStatuses) assert.equal(canMove('RETURNED', to), false, `RETURNED → ${to}`);
});

test('holds follow their reservation: sold when committed, back when ended, untouched while in play', () => {
  for (const status of ['COMMITTED', 'RETURNING', 'RETURNED'] as const) assert.equal(settlement(status), 'consume');
  for (const status of ['CANCELLED', 'EXPIRED', 'FAILED'] as const) assert.equal(settlement(status), 'give-back');
  for (const status of ['RESERVING', 'PENDING', 'RECOMMITTING'] as const) assert.equal(settlement(status), null);
  assert.deepEqual(reservationStatuses.map(publicStatus).sort(), [
    'CANCELLED',
    'CANCELLED',
    'CANCELLED',
    'CANCELLED',
    'COMMITTED',
    'EXPIRED',
    'EXPIRED',
    'PENDING',
    'PENDING',
  ]);
});

test('late holds are told apart from original ones; counters must add up', () => {
  assert.notEqual(holdFor('r', 1).tag, holdFor('r', 1, true).tag);
  assert.ok(addsUp({ onHand: 5, reserved: 3, available: 2, holds: [holdFor('r', 1), holdFor('s', 2)] }));
  assert.ok(!addsUp({ onHand: 5, reserved: 3, available: 3, holds: [holdFor('r', 3)] }));
  assert.ok(!addsUp({ onHand: 2, reserved: 3, available: -1, holds: [holdFor('r', 3)] }));
});
