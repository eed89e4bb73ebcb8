import type { StockStore } from './ports.ts';
import { type Reservation, settlement } from './reservation.ts';
import { holdFor } from './stock.ts';

/**
 * Applies a reservation's status to its holds: sold when COMMITTED, given back when it ended
 * otherwise. Each step is conditional on the hold still being there, so running this again (after
 * a crash, by the sweep, for a redelivered event) changes nothing. `kinds` says which holds to
 * look for: the original ones, the late ones, or both.
 */
export async function settle(stock: StockStore, reservation: Reservation, kinds: ('original' | 'late')[] = ['original', 'late']): Promise<void> {
  const mode = settlement(reservation.status);
  if (!mode) return;
  for (const item of reservation.items) {
    for (const kind of kinds) {
      const hold = holdFor(reservation.id, item.quantity, kind === 'late');
      if (mode === 'consume') await stock.consume(item.productId, hold);
      else await stock.giveBack(item.productId, hold);
    }
  }
}
