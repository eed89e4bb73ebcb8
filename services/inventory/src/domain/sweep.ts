import { finishReturn } from './on-order-closed.ts';
import type { InventoryDeps } from './ports.ts';
import { type Reservation, reservationEvent, settlement } from './reservation.ts';
import { moveAndSettle } from './settle.ts';

export interface SweepReport {
  expired: number;
  repaired: number;
  orphanHolds: number;
  purged: number;
}

/**
 * `reservations`: expiry and half-made reservations, which read only the few reservations due.
 * `stock`: orphan holds, stale return marks and discontinued records, which only mend what a
 * crash left, so the service runs this part far less often (STOCK_REPAIR_INTERVAL_MS).
 */
export type SweepPart = 'all' | 'reservations' | 'stock';

const BATCH = 200;
const MAX_BATCHES = 20;

/**
 * One pass of the sweep, which is what makes every multi-document step safe against crashes:
 * it expires unpaid reservations, fails reservations a crash left half-made, settles holds whose
 * reservation has already ended (a crash between the status change and the stock steps), and
 * deletes discontinued stock once its holds are gone. Every step is conditional, so two sweeps
 * (or a sweep and a live request) racing each other are harmless.
 */
export function createSweep(deps: InventoryDeps, part: SweepPart = 'all') {
  const { stock, reservations } = deps;

  async function expireBatch(now: Date): Promise<{ count: number; full: boolean }> {
    const due = await reservations.expired(now, BATCH);
    let count = 0;
    for (const reservation of due) {
      const reason = 'not paid in time';
      const events = [reservationEvent('reservationExpired', reservation, 'EXPIRED', reason)];
      if (await moveAndSettle(deps, reservation, 'EXPIRED', { changes: { reason }, events, kinds: ['original'] })) count++;
    }
    return { count, full: due.length === BATCH };
  }

  /** A burst of expiries is worked off in one pass (up to MAX_BATCHES batches), not one batch per interval. */
  async function expire(now: Date): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const { count, full } = await expireBatch(now);
      total += count;
      if (!full) break;
    }
    return total;
  }

  async function repair(before: Date): Promise<number> {
    let count = 0;
    for (const reservation of await reservations.stuck(before, BATCH)) {
      if (reservation.status === 'RETURNING') {
        await finishReturn(deps, reservation);
        count++;
        continue;
      }
      let moved: Reservation | null;
      if (reservation.status === 'RESERVING') {
        moved = await moveAndSettle(deps, reservation, 'FAILED', { changes: { reason: 'abandoned while reserving' } });
      } else {
        const reason = 'paid after expiry; taking the stock again was interrupted';
        const events = [reservationEvent('reservationCommitFailed', reservation, 'EXPIRED', reason)];
        moved = await moveAndSettle(deps, reservation, 'EXPIRED', { changes: { final: true, reason }, events });
      }
      if (moved) count++;
    }
    return count;
  }

  /** Holds are read first and their reservations after, so a hold seen here can only belong to a reservation at or past that state. */
  async function settleOrphans(): Promise<number> {
    const holds = await stock.holds(BATCH * 5);
    if (holds.length === 0) return 0;
    const owners = new Map((await reservations.findMany([...new Set(holds.map((h) => h.hold.reservationId))])).map((r) => [r.id, r]));
    let count = 0;
    for (const { productId, hold } of holds) {
      const owner = owners.get(hold.reservationId);
      const mode = owner ? settlement(owner.status) : 'give-back';
      if (mode === 'consume' && (await stock.consume(productId, hold))) count++;
      if (mode === 'give-back' && (await stock.giveBack(productId, hold))) count++;
    }
    return count;
  }

  /** Return marks outlive their use only when a crash came between RETURNED and dropping them. */
  async function dropReturnMarks(): Promise<number> {
    const marks = await stock.returnMarks(BATCH);
    if (marks.length === 0) return 0;
    const ids = [...new Set(marks.map((m) => m.mark.split(':')[0] ?? ''))];
    const owners = new Map((await reservations.findMany(ids)).map((r) => [r.id, r]));
    let count = 0;
    for (const { productId, mark } of marks) {
      const owner = owners.get(mark.split(':')[0] ?? '');
      if ((!owner || owner.status === 'RETURNED') && (await stock.forgetReturn(productId, mark))) count++;
    }
    return count;
  }

  return async function sweepOnce(): Promise<SweepReport> {
    const now = deps.clock();
    const doReservations = part !== 'stock';
    const doStock = part !== 'reservations';
    const report = {
      expired: doReservations ? await expire(new Date(now)) : 0,
      repaired: doReservations ? await repair(new Date(now - deps.graceMs)) : 0,
      orphanHolds: doStock ? (await settleOrphans()) + (await dropReturnMarks()) : 0,
      purged: doStock ? await stock.purgeDiscontinued() : 0,
    };
    return report;
  };
}
