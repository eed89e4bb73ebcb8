import { unavailable } from '@shop/platform/errors';
import type { InventoryDeps } from './ports.ts';
import { type Reservation, reservationEvent } from './reservation.ts';
import { moveAndSettle, settle } from './settle.ts';
import { returnTag } from './stock.ts';

const ATTEMPTS = 5;

/**
 * Finishes a return: every item's units go back on hand once (each step marked on the stock
 * record), then RETURNED with reservation.released, then the marks are dropped. Safe to run again.
 */
export async function finishReturn(deps: InventoryDeps, reservation: Reservation): Promise<void> {
  const mark = returnTag(reservation.id);
  for (const item of reservation.items) await deps.stock.restock(item.productId, mark, item.quantity);
  const reason = reservation.reason ?? 'order closed after its stock was committed';
  const returned = await deps.reservations.move(reservation.id, 'RETURNING', 'RETURNED', {}, [
    reservationEvent('reservationReleased', reservation, 'RETURNED', reason),
  ]);
  if (returned) deps.eventsQueued(reservation.id);
  for (const item of reservation.items) await deps.stock.forgetReturn(item.productId, mark);
}

/**
 * What a closed order (order.failed / order.cancelled) does to its reservation: held stock is
 * released; stock already committed (the payment went through while the order failed) goes
 * back on hand. Either way the order's units are free again, once, however often the event comes.
 */
export function createOnOrderClosed(deps: InventoryDeps) {
  const { stock, reservations } = deps;

  return {
    async orderClosed(orderId: string, reason: string): Promise<void> {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const reservation = await reservations.findByOrder(orderId);
        if (!reservation) return; // nothing was ever reserved for it
        switch (reservation.status) {
          case 'PENDING': {
            const events = [reservationEvent('reservationReleased', reservation, 'CANCELLED', reason)];
            if (!(await moveAndSettle(deps, reservation, 'CANCELLED', { changes: { reason }, events, kinds: ['original'] }))) continue;
            return;
          }
          case 'COMMITTED': {
            await settle(stock, reservation); // a sale a crash left unfinished is finished first
            const returning = await reservations.move(reservation.id, 'COMMITTED', 'RETURNING', { reason: `${reason}; stock returned` });
            if (!returning) continue;
            return finishReturn(deps, returning);
          }
          case 'RETURNING':
            return finishReturn(deps, reservation);
          case 'EXPIRED':
            // Its stock is back already; a payment arriving now must not take it again for a closed order.
            if (!reservation.final && !(await reservations.move(reservation.id, 'EXPIRED', 'EXPIRED', { final: true, reason }))) continue;
            return;
          case 'RESERVING':
          case 'RECOMMITTING':
            // Still moving: wait until it settles (the sweep ends it within the grace period at worst).
            throw unavailable(`Reservation of order ${orderId} (still changing)`);
          default:
            return; // already released, expired, failed or returned
        }
      }
      throw unavailable(`Reservation of order ${orderId} (changing concurrently)`);
    },
  };
}

export type OnOrderClosed = ReturnType<typeof createOnOrderClosed>;
