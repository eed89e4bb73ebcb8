import { test } from 'node:test';
import { explainingDatabase } from '@shop/testing/explain';
import { ObjectId } from 'mongodb';
import type { ReservationStatus } from '../src/domain/reservation.ts';
import { createReservationStore, reservationIndexes, reservationsCollection } from '../src/store/reservations.ts';
import { createStockStore, stockCollection, stockIndexes } from '../src/store/stock.ts';

test("the inventory sweeper's queries use their indexes (explain of the commands the stores really send)", async (t) => {
  const queries = await explainingDatabase(t, { ...stockIndexes, ...reservationIndexes });
  const reservations = createReservationStore(queries.db);
  const stock = createStockStore(queries.db);
  const now = Date.now();
  const statuses: ReservationStatus[] = ['PENDING', 'RESERVING', 'COMMITTED', 'EXPIRED', 'RETURNING'];
  // Most PENDING reservations are not expired yet and most in-between ones moved recently, so
  // each query's own index is clearly the best of the two that start with `status`.
  await reservationsCollection(queries.db).insertMany(
    Array.from({ length: 300 }, (_, i) => ({
      _id: new ObjectId(),
      orderId: new ObjectId().toHexString(),
      status: statuses[i % statuses.length],
      items: [{ productId: new ObjectId().toHexString(), quantity: 1 }],
      expiresAt: new Date(now + (i % 30 === 0 ? -1 : 1) * 600_000),
      createdAt: new Date(now - 60_000),
      updatedAt: new Date(now - (i % 30 === 1 ? 600_000 : 1_000)),
      outbox: [],
    })),
  );
  await stockCollection(queries.db).insertMany(
    Array.from({ length: 300 }, (_, i) => ({
      _id: new ObjectId(),
      productId: new ObjectId().toHexString(),
      onHand: 10,
      reserved: i % 10 === 0 ? 1 : 0,
      available: i % 10 === 0 ? 9 : 10,
      holds: i % 10 === 0 ? [{ tag: `t${i}`, reservationId: new ObjectId().toHexString(), quantity: 1 }] : [],
      ...(i % 15 === 0 ? { returns: [`r${i}`] } : {}),
      ...(i % 25 === 0 ? { discontinued: true } : {}),
      createdAt: new Date(),
      updatedAt: new Date(),
    })),
  );

  const expired = () => reservations.expired(new Date(now), 50);
  t.diagnostic(`expired reservations: ${await queries.assertUses('status_expiresAt', 'find', 'reservations', expired)}`);
  const stuck = () => reservations.stuck(new Date(now - 60_000), 50);
  t.diagnostic(`stuck reservations: ${await queries.assertUses('status_updatedAt', 'find', 'reservations', stuck)}`);
  const holds = () => stock.holds(50);
  t.diagnostic(`stock with holds: ${await queries.assertUses('holds_pending', 'find', 'stock', holds)}`);
  const marks = () => stock.returnMarks(50);
  t.diagnostic(`stock with return marks: ${await queries.assertUses('returns_pending', 'find', 'stock', marks)}`);
  const purge = () => stock.purgeDiscontinued();
  t.diagnostic(`purge of discontinued stock: ${await queries.assertUses('discontinued', 'delete', 'stock', purge)}`);
});
