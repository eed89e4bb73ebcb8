import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, conflict } from '@shop/platform/errors';
import type { InventoryDeps } from './ports.ts';
import { planItems, type Reservation, type ReservationItem, type Shortfall, sameItems } from './reservation.ts';
import { holdFor } from './stock.ts';

/** 409 naming every short item. */
export function insufficientStock(shortfall: Shortfall[]): AppError {
  const names = shortfall.map((s) => s.productId).join(', ');
  return new AppError('INSUFFICIENT_STOCK', `Not enough stock for ${names || 'this order'}`, { items: shortfall });
}

/**
 * 503, not 409: the first attempt for this order has not finished yet (a caller that timed out and
 * tried again). Its outcome is unknown, so the answer must be "ask again", never a refusal.
 */
const inProgress = (orderId: string) => new AppError('IN_PROGRESS', 'The reservation of this order is still being made; try again shortly', { orderId });

/**
 * Reserving is a small saga without transactions: write the reservation (RESERVING, unique per
 * order) → take one hold per product with a guarded single-document update → PENDING. When an
 * item is short, the holds already taken are given back and the reservation is FAILED. A crash
 * anywhere leaves a RESERVING record whose holds the sweep gives back.
 */
export function createReserve(deps: InventoryDeps, options: { replayWaitMs?: number } = {}) {
  const { stock, reservations } = deps;
  const replayWaitMs = options.replayWaitMs ?? 2000;

  async function giveBack(reservationId: string, items: ReservationItem[]): Promise<void> {
    for (const item of items) await stock.giveBack(item.productId, holdFor(reservationId, item.quantity));
  }

  /** The failed item and every later one that is short now (a read for the message only). */
  async function shortfallFrom(rest: ReservationItem[]): Promise<Shortfall[]> {
    const levels = new Map((await stock.getMany(rest.map((item) => item.productId))).map((s) => [s.productId, s]));
    return rest.flatMap((item, index) => {
      const level = levels.get(item.productId);
      const available = level && !level.discontinued ? level.available : 0;
      return index === 0 || available < item.quantity ? [{ productId: item.productId, requested: item.quantity, available }] : [];
    });
  }

  /** The same order again: its reservation as it stands, once it is no longer being made. */
  async function replay(orderId: string, items: ReservationItem[]): Promise<Reservation> {
    const deadline = deps.clock() + replayWaitMs;
    for (;;) {
      const existing = await reservations.findByOrder(orderId);
      if (!existing) throw inProgress(orderId);
      if (!sameItems(existing.items, items)) throw conflict('This order already has a reservation for other items', { orderId });
      if (existing.status === 'FAILED') {
        if (existing.shortfall?.length) throw insufficientStock(existing.shortfall);
        throw conflict('The reservation of this order was abandoned; nothing is held', { orderId });
      }
      if (existing.status !== 'RESERVING') return existing;
      if (deps.clock() > deadline) throw inProgress(orderId);
      await sleep(50);
    }
  }

  async function takeAll(reservation: Reservation): Promise<ReservationItem[]> {
    const taken: ReservationItem[] = [];
    try {
      for (const item of reservation.items) {
        if (!(await stock.take(item.productId, holdFor(reservation.id, item.quantity)))) break;
        taken.push(item);
      }
    } catch (error) {
      // Best effort now; the sweep gives back whatever this could not.
      await giveBack(reservation.id, taken)
        .then(() => reservations.move(reservation.id, 'RESERVING', 'FAILED', { reason: 'error while reserving' }))
        .catch(() => {});
      throw error;
    }
    return taken;
  }

  /** All items or none; the same order always gets the same reservation. */
  return async function reserve(input: { orderId: string; items: ReservationItem[] }): Promise<Reservation> {
    const items = planItems(input.items);
    const now = new Date(deps.clock());
    const reservation: Reservation = {
      id: reservations.newId(),
      orderId: input.orderId,
      status: 'RESERVING',
      items,
      expiresAt: new Date(now.getTime() + deps.ttlMs),
      createdAt: now,
      updatedAt: now,
    };
    if (!(await reservations.insert(reservation))) return replay(input.orderId, items);

    const taken = await takeAll(reservation);
    if (taken.length === items.length) {
      const pending = await reservations.move(reservation.id, 'RESERVING', 'PENDING', { expiresAt: new Date(deps.clock() + deps.ttlMs) });
      if (pending) {
        deps.recent.remember(pending);
        return pending;
      }
      // The sweep took this attempt for abandoned (it outlived the grace period) and failed it.
      await giveBack(reservation.id, taken);
      throw conflict('The reservation took too long and was abandoned; nothing is held', { orderId: input.orderId });
    }
    await giveBack(reservation.id, taken);
    const shortfall = await shortfallFrom(items.slice(taken.length));
    await reservations.move(reservation.id, 'RESERVING', 'FAILED', { shortfall });
    throw insufficientStock(shortfall);
  };
}
