import { type Db, ObjectId } from 'mongodb';
import { publicStatus, type Reservation, reservationStatuses } from '../domain/reservation.ts';
import { reservationsCollection, toRecord } from './reservations.ts';

type PublicStatus = ReturnType<typeof publicStatus>;

/** Reads for the admin console only (no rule needs them, so they are not a port of the inventory rules). */
export function createInventoryAdminQueries(db: Db) {
  const reservations = reservationsCollection(db);
  return {
    /** Reservations whose public status is `status` (all when none), newest first, before `beforeId`. */
    async listReservations(status: PublicStatus | undefined, limit: number, beforeId?: string): Promise<Reservation[]> {
      const internal = status ? reservationStatuses.filter((s) => publicStatus(s) === status) : undefined;
      const docs = await reservations
        .find({ ...(internal ? { status: { $in: internal } } : {}), ...(beforeId ? { _id: { $lt: new ObjectId(beforeId) } } : {}) })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map(toRecord);
    },
  };
}

export type InventoryAdminQueries = ReturnType<typeof createInventoryAdminQueries>;
