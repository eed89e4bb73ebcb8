import { AppError, unavailable } from '@shop/platform/errors';
import type { InventoryDeps } from './ports.ts';
import { type Reservation, type ReservationDomainEvent, type ReservationItem, type ReservationStatus, reservationEvent } from './reservation.ts';
import { moveAndSettle, settle } from './settle.ts';
import { holdFor } from './stock.ts';

const ATTEMPTS = 5;

/**
 * What a payment does to its reservation. Every event acts once however often it comes: the
 * status moves only from the status it expects (so a repeat finds it moved on and stops), and
 * each stock step is conditional on its hold. The status moves first, then the holds follow it,
 * so a commit and an expiry racing for the same reservation can never split its items.
 */
export function createOnPayment(deps: InventoryDeps) {
  const { stock, reservations } = deps;

  /** The reservation as stored; on a first attempt, the copy this process made PENDING, if any (a stale one fails its guarded move and is read). */
  async function load(reservationId: string, orderId: string, attempt: number): Promise<Reservation> {
    const reservation = (attempt === 0 ? deps.recent.take(reservationId) : undefined) ?? (await reservations.findById(reservationId));
    if (!reservation) throw new AppError('NOT_FOUND', `Reservation ${reservationId} not found`);
    if (reservation.orderId !== orderId) throw new AppError('VALIDATION_FAILED', `Reservation ${reservationId} belongs to another order`);
    return reservation;
  }

  async function move(reservation: Reservation, to: ReservationStatus, outcome: ReservationDomainEvent['kind'], changes: Partial<Reservation> = {}) {
    const moved = await reservations.move(reservation.id, reservation.status, to, changes, [reservationEvent(outcome, reservation, to, changes.reason)]);
    if (moved) deps.eventsQueued(reservation.id);
    return moved;
  }

  /** The item that cannot be taken again, or null when all are held (again) for this reservation. */
  async function retake(reservation: Reservation): Promise<{ taken: ReservationItem[]; short: boolean }> {
    const taken: ReservationItem[] = [];
    for (const item of reservation.items) {
      const hold = holdFor(reservation.id, item.quantity, true);
      // A hold already there was taken by an earlier, interrupted delivery of this event.
      const held = (await stock.take(item.productId, hold)) || (await stock.get(item.productId))?.holds.some((h) => h.tag === hold.tag);
      if (!held) return { taken, short: true };
      taken.push(item);
    }
    return { taken, short: false };
  }

  /** A payment after expiry: take the units again if they are there, else announce that the commit failed. */
  async function lateCommit(reservation: Reservation): Promise<void> {
    const { taken, short } = await retake(reservation);
    if (!short) {
      await move(reservation, 'COMMITTED', 'reservationCommitted', { reason: 'paid after expiry; stock taken again' });
    } else {
      for (const item of taken) await stock.giveBack(item.productId, holdFor(reservation.id, item.quantity, true));
      await move(reservation, 'EXPIRED', 'reservationCommitFailed', { final: true, reason: 'paid after expiry and the stock is gone' });
    }
    // Whoever moved it last (this, or the sweep), the late holds now follow the final status.
    const settled = await reservations.findById(reservation.id);
    if (settled) await settle(stock, settled, ['late']);
  }

  async function succeeded(reservationId: string, orderId: string): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const reservation = await load(reservationId, orderId, attempt);
      switch (reservation.status) {
        case 'PENDING': {
          const events = [reservationEvent('reservationCommitted', reservation, 'COMMITTED')];
          if (!(await moveAndSettle(deps, reservation, 'COMMITTED', { events, kinds: ['original'] }))) continue;
          return;
        }
        case 'COMMITTED':
          return settle(stock, reservation); // finishes a commit a crash interrupted; a repeat finds nothing left
        case 'EXPIRED': {
          if (reservation.final) return;
          await settle(stock, reservation, ['original']); // whatever the expiry had not given back yet
          const claimed = await reservations.move(reservation.id, 'EXPIRED', 'RECOMMITTING');
          if (!claimed) continue;
          return lateCommit(claimed);
        }
        case 'RECOMMITTING':
          return lateCommit(reservation);
        case 'CANCELLED':
        case 'FAILED': {
          if (reservation.final) return;
          const reason = 'paid for a reservation that holds nothing';
          if (await move(reservation, reservation.status, 'reservationCommitFailed', { final: true, reason })) return;
          continue;
        }
        case 'RESERVING':
          throw unavailable(`Reservation ${reservationId} (still being made)`);
        case 'RETURNING':
        case 'RETURNED':
          // Committed by this payment's first delivery, then its order closed: the return owns the stock now.
          return;
        default:
          throw new Error(`Reservation ${reservationId}: no rule for a payment in status ${reservation.status satisfies never}`);
      }
    }
    throw unavailable(`Reservation ${reservationId} (changing concurrently)`);
  }

  async function failed(reservationId: string, orderId: string): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const reservation = await load(reservationId, orderId, attempt);
      if (reservation.status === 'RESERVING') throw unavailable(`Reservation ${reservationId} (still being made)`);
      if (reservation.status !== 'PENDING') return; // already released, expired or committed: nothing to give back
      const reason = 'payment failed';
      const events = [reservationEvent('reservationReleased', reservation, 'CANCELLED', reason)];
      if (await moveAndSettle(deps, reservation, 'CANCELLED', { changes: { reason }, events, kinds: ['original'] })) return;
    }
    throw unavailable(`Reservation ${reservationId} (changing concurrently)`);
  }

  return {
    /** Applies one payment-events payload. */
    async apply(payment: { reservationId: string; orderId: string; status: 'success' | 'failure' | 'refunded' }): Promise<void> {
      if (payment.status === 'success') return succeeded(payment.reservationId, payment.orderId);
      if (payment.status === 'failure') return failed(payment.reservationId, payment.orderId);
      // A refund follows an order that already failed or was cancelled: its stock was never sold.
    },
  };
}

export type OnPayment = ReturnType<typeof createOnPayment>;
