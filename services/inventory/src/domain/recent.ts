import { LRUCache } from 'lru-cache';
import type { Reservation } from './reservation.ts';

/**
 * Reservations this process just made PENDING, kept for the payment event that follows each one
 * a second or two later: that event starts from the copy instead of reading the reservation.
 * A copy is taken once (a redelivery reads), and a stale one (the sweep expired the hold, another
 * replica committed it) costs only a retry: every move is guarded by the status it expects.
 */
export function createRecentReservations(max = 5_000) {
  const pending = new LRUCache<string, Reservation>({ max });
  return {
    remember(reservation: Reservation): void {
      if (reservation.status === 'PENDING') pending.set(reservation.id, reservation);
    },
    /** The copy of this PENDING reservation, if this process made it so; forgotten once taken. */
    take(id: string): Reservation | undefined {
      const copy = pending.get(id);
      pending.delete(id);
      return copy;
    },
  };
}

export type RecentReservations = ReturnType<typeof createRecentReservations>;
