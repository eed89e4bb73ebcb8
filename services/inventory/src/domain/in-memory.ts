import { randomBytes } from 'node:crypto';
import type { Atomically } from '@shop/platform/mongo/transaction';
import type { InventoryDeps, ReservationStore, StockStore } from './ports.ts';
import { createRecentReservations } from './recent.ts';
import { canMove, type Reservation, type ReservationDomainEvent } from './reservation.ts';
import type { StockRecord } from './stock.ts';

const newId = () => randomBytes(12).toString('hex');
const copy = <T>(value: T): T => structuredClone(value);

/** In-memory stores with the same guarded semantics as the MongoDB ones, for unit tests of the rules. */
export function inMemoryInventory(options: { now?: number; ttlMs?: number; graceMs?: number } = {}) {
  const stock = new Map<string, StockRecord>();
  const reservations = new Map<string, Reservation>();
  const outbox: ReservationDomainEvent[] = [];
  const clock = { now: options.now ?? Date.UTC(2030, 0, 1) };

  /** A transaction of a single-threaded test: what the work changed is put back when it throws. */
  const atomically: Atomically = async (work) => {
    const saved = { stock: copy([...stock]), reservations: copy([...reservations]), outbox: outbox.length };
    try {
      return await work();
    } catch (error) {
      stock.clear();
      for (const [key, value] of saved.stock) stock.set(key, value);
      reservations.clear();
      for (const [key, value] of saved.reservations) reservations.set(key, value);
      outbox.length = saved.outbox;
      throw error;
    }
  };

  const change = (productId: string, guard: (s: StockRecord) => boolean, apply: (s: StockRecord) => void) => {
    const record = stock.get(productId);
    if (!record || !guard(record)) return false;
    apply(record);
    return true;
  };

  const stockStore: StockStore = {
    get: async (productId) => copy(stock.get(productId) ?? null),
    getById: async (id) => copy([...stock.values()].find((s) => s.id === id) ?? null),
    getMany: async (ids) => copy([...stock.values()].filter((s) => ids.includes(s.productId))),
    async insert(record) {
      if (stock.has(record.productId)) return false;
      stock.set(record.productId, copy(record));
      return true;
    },
    async ensure(productId, onHand) {
      if (stock.has(productId)) return false;
      const at = new Date(clock.now);
      stock.set(productId, {
        id: productId,
        productId,
        onHand,
        reserved: 0,
        available: onHand,
        holds: [],
        discontinued: false,
        returns: [],
        createdAt: at,
        updatedAt: at,
      });
      return true;
    },
    async adjust(productId, delta, expectedOnHand) {
      const ok = change(
        productId,
        (s) => s.available + delta >= 0 && (expectedOnHand === undefined || s.onHand === expectedOnHand),
        (s) => {
          s.onHand += delta;
          s.available += delta;
        },
      );
      return ok ? copy(stock.get(productId) ?? null) : null;
    },
    take: async (productId, hold) =>
      change(
        productId,
        (s) => s.available >= hold.quantity && !s.discontinued && !s.holds.some((h) => h.reservationId === hold.reservationId),
        (s) => {
          s.reserved += hold.quantity;
          s.available -= hold.quantity;
          s.holds.push({ ...hold });
        },
      ),
    giveBack: async (productId, hold) =>
      change(
        productId,
        (s) => s.holds.some((h) => h.tag === hold.tag),
        (s) => {
          s.holds = s.holds.filter((h) => h.tag !== hold.tag);
          s.reserved -= hold.quantity;
          s.available += hold.quantity;
        },
      ),
    consume: async (productId, hold) =>
      change(
        productId,
        (s) => s.holds.some((h) => h.tag === hold.tag),
        (s) => {
          s.holds = s.holds.filter((h) => h.tag !== hold.tag);
          s.reserved -= hold.quantity;
          s.onHand -= hold.quantity;
        },
      ),
    restock: async (productId, mark, quantity) =>
      change(
        productId,
        (s) => !s.returns.includes(mark),
        (s) => {
          s.onHand += quantity;
          s.available += quantity;
          s.returns.push(mark);
        },
      ),
    forgetReturn: async (productId, mark) =>
      change(
        productId,
        (s) => s.returns.includes(mark),
        (s) => {
          s.returns = s.returns.filter((m) => m !== mark);
        },
      ),
    returnMarks: async (limit) => [...stock.values()].flatMap((s) => s.returns.map((mark) => ({ productId: s.productId, mark }))).slice(0, limit),
    async remove(productId) {
      const record = stock.get(productId);
      if (!record) return 'missing';
      if (record.holds.length > 0) return 'held';
      stock.delete(productId);
      return 'removed';
    },
    discontinue: async (productId) =>
      change(
        productId,
        () => true,
        (s) => {
          s.discontinued = true;
        },
      ),
    async purgeDiscontinued() {
      const gone = [...stock.values()].filter((s) => s.discontinued && s.holds.length === 0);
      for (const s of gone) stock.delete(s.productId);
      return gone.length;
    },
    holds: async (limit) => [...stock.values()].flatMap((s) => s.holds.map((hold) => ({ productId: s.productId, hold: { ...hold } }))).slice(0, limit),
  };

  const reservationStore: ReservationStore = {
    newId,
    async insert(reservation) {
      if ([...reservations.values()].some((r) => r.orderId === reservation.orderId)) return false;
      reservations.set(reservation.id, copy(reservation));
      return true;
    },
    findById: async (id) => copy(reservations.get(id) ?? null),
    findByOrder: async (orderId) => copy([...reservations.values()].find((r) => r.orderId === orderId) ?? null),
    findMany: async (ids) => copy([...reservations.values()].filter((r) => ids.includes(r.id))),
    async move(id, from, to, changes = {}, events = []) {
      if (!canMove(from, to)) throw new Error(`no move from ${from} to ${to}`);
      const current = reservations.get(id);
      if (!current || current.status !== from || current.final) return null;
      const updated = { ...current, ...copy(changes), id, status: to, updatedAt: new Date(clock.now) };
      reservations.set(id, updated);
      outbox.push(...events);
      return copy(updated);
    },
    expired: async (now) => copy([...reservations.values()].filter((r) => r.status === 'PENDING' && r.expiresAt < now)),
    stuck: async (before) =>
      copy([...reservations.values()].filter((r) => ['RESERVING', 'RECOMMITTING', 'RETURNING'].includes(r.status) && r.updatedAt < before)),
  };

  const deps: InventoryDeps = {
    stock: stockStore,
    catalog: { productExists: async () => true },
    reservations: reservationStore,
    clock: () => clock.now,
    ttlMs: options.ttlMs ?? 60_000,
    graceMs: options.graceMs ?? 5_000,
    eventsQueued: () => {},
    atomically,
    recent: createRecentReservations(),
  };
  return { deps, stock, reservations, outbox, clock };
}
