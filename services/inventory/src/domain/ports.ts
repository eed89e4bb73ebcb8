import type { Atomically } from '@shop/platform/mongo/transaction';
import type { RecentReservations } from './recent.ts';
import type { Reservation, ReservationDomainEvent, ReservationStatus } from './reservation.ts';
import type { Hold, StockRecord } from './stock.ts';

/**
 * Stock documents, one per product and keyed by it (a record's id is its product's id); every
 * write is one conditional single-document update.
 */
export interface StockStore {
  get(productId: string): Promise<StockRecord | null>;
  getById(id: string): Promise<StockRecord | null>;
  getMany(productIds: string[]): Promise<StockRecord[]>;
  /** Inserts; false when the product already has a record. */
  insert(stock: StockRecord): Promise<boolean>;
  /** Creates the product's record with `onHand` units unless it has one; an existing record is never touched. True when created. */
  ensure(productId: string, onHand: number): Promise<boolean>;
  /** Adds `delta` to onHand and available unless available would drop below 0 (or onHand is no longer `expectedOnHand`); null when refused. */
  adjust(productId: string, delta: number, expectedOnHand?: number): Promise<StockRecord | null>;
  /** Takes a hold if enough is available, the reservation holds nothing of this product yet and the product is not discontinued. */
  take(productId: string, hold: Hold): Promise<boolean>;
  /** Gives a hold back (reserved −q, available +q) if it is still there. */
  giveBack(productId: string, hold: Hold): Promise<boolean>;
  /** Turns a hold into a sale (onHand −q, reserved −q) if it is still there. */
  consume(productId: string, hold: Hold): Promise<boolean>;
  /** Puts sold units back on hand (onHand +q, available +q) unless this return mark is already there; false when already done or no record. */
  restock(productId: string, mark: string, quantity: number): Promise<boolean>;
  /** Drops a return mark once its reservation is RETURNED. */
  forgetReturn(productId: string, mark: string): Promise<boolean>;
  /** Return marks present, for the sweep. */
  returnMarks(limit: number): Promise<{ productId: string; mark: string }[]>;
  /** Deletes the record unless it has holds. */
  remove(productId: string): Promise<'removed' | 'held' | 'missing'>;
  /** Refuses new holds from now on; the sweep deletes the record once its holds are gone. */
  discontinue(productId: string): Promise<boolean>;
  /** Deletes discontinued records without holds; how many. */
  purgeDiscontinued(): Promise<number>;
  /** Holds currently taken, for the sweep's check of holds whose reservation has moved on. */
  holds(limit: number): Promise<{ productId: string; hold: Hold }[]>;
}

/** Reservation documents; they carry the outbox of inventory-events. */
export interface ReservationStore {
  newId(): string;
  /** Inserts; false when the order already has a reservation. */
  insert(reservation: Reservation): Promise<boolean>;
  findById(id: string): Promise<Reservation | null>;
  findByOrder(orderId: string): Promise<Reservation | null>;
  findMany(ids: string[]): Promise<Reservation[]>;
  /** Moves `from` → `to` with the changes and events in one write, only if the status is still `from` and no commit failed; null otherwise. */
  move(
    id: string,
    from: ReservationStatus,
    to: ReservationStatus,
    changes?: Partial<Reservation>,
    events?: ReservationDomainEvent[],
  ): Promise<Reservation | null>;
  /** PENDING reservations whose `expiresAt` has passed. */
  expired(now: Date, limit: number): Promise<Reservation[]>;
  /** RESERVING, RECOMMITTING or RETURNING reservations unchanged since `before`: a crash interrupted them. */
  stuck(before: Date, limit: number): Promise<Reservation[]>;
}

/** What inventory needs to know of the catalog: whether a product exists (product-service). */
export interface Catalog {
  productExists(productId: string): Promise<boolean>;
}

export interface InventoryDeps {
  stock: StockStore;
  catalog: Catalog;
  reservations: ReservationStore;
  /** Milliseconds since the epoch. */
  clock(): number;
  ttlMs: number;
  /** How long RESERVING / RECOMMITTING may last before the sweep treats it as abandoned. */
  graceMs: number;
  /** Called after a write that queued events: in that reservation's document, or (no id) in several. */
  eventsQueued(reservationId?: string): void;
  /** Runs the work's store writes as one transaction: a status change and the stock it moves (settle.ts). */
  atomically: Atomically;
  /** Reservations this process just made PENDING, for the payment event that follows (recent.ts). */
  recent: RecentReservations;
}
