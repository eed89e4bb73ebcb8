/**
 * RESERVING: written first, before any hold, so a crash leaves a record the sweep can repair.
 * PENDING: every hold taken, waiting for the payment. RECOMMITTING: a payment came after expiry
 * and the units are being taken again. FAILED: never held (short, or abandoned by a crash).
 * RETURNING / RETURNED: the order failed after its stock was committed; the units go back on hand.
 */
export const reservationStatuses = ['RESERVING', 'PENDING', 'COMMITTED', 'CANCELLED', 'EXPIRED', 'FAILED', 'RECOMMITTING', 'RETURNING', 'RETURNED'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export interface ReservationItem {
  productId: string;
  quantity: number;
}

export interface Shortfall {
  productId: string;
  requested: number;
  available: number;
}

export interface Reservation {
  id: string;
  orderId: string;
  status: ReservationStatus;
  items: ReservationItem[];
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /** Why it FAILED, when it was short. */
  shortfall?: Shortfall[];
  /** Nothing moves it any more: a payment success could not be honoured (reservation.commit-failed), or its order closed after expiry. */
  final?: boolean;
  reason?: string;
}

const moves: Record<ReservationStatus, ReservationStatus[]> = {
  RESERVING: ['PENDING', 'FAILED'],
  PENDING: ['COMMITTED', 'CANCELLED', 'EXPIRED'],
  // EXPIRED → EXPIRED only to make it final when its order closes, so a late payment takes nothing.
  EXPIRED: ['RECOMMITTING', 'EXPIRED'],
  RECOMMITTING: ['COMMITTED', 'EXPIRED'],
  // Only to record a commit-failed once: a success for a reservation that was released or never held.
  CANCELLED: ['CANCELLED'],
  FAILED: ['FAILED'],
  COMMITTED: ['RETURNING'],
  RETURNING: ['RETURNED'],
  RETURNED: [],
};

/** The state machine: whether `from` may move to `to`. */
export function canMove(from: ReservationStatus, to: ReservationStatus): boolean {
  return moves[from].includes(to);
}

/**
 * What the holds of a reservation in this status should become: sold, given back, or left alone
 * (still in play). A return starts from a finished sale, so its leftover holds are sold first.
 */
export function settlement(status: ReservationStatus): 'consume' | 'give-back' | null {
  if (status === 'COMMITTED' || status === 'RETURNING' || status === 'RETURNED') return 'consume';
  if (status === 'CANCELLED' || status === 'EXPIRED' || status === 'FAILED') return 'give-back';
  return null;
}

/** The plan of a reservation: one line per product (duplicates merged), in a stable order. */
export function planItems(items: ReservationItem[]): ReservationItem[] {
  const merged = new Map<string, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  return [...merged.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([productId, quantity]) => ({ productId, quantity }));
}

/** True when two plans ask for the same units. */
export function sameItems(a: ReservationItem[], b: ReservationItem[]): boolean {
  const x = planItems(a);
  const y = planItems(b);
  return x.length === y.length && x.every((item, i) => item.productId === y[i]?.productId && item.quantity === y[i]?.quantity);
}

/** What inventory announces about a reservation; events/outgoing.ts turns it into an inventory-events entry. */
export interface ReservationDomainEvent {
  kind: 'reservationCommitted' | 'reservationReleased' | 'reservationExpired' | 'reservationCommitFailed';
  reservation: Pick<Reservation, 'id' | 'orderId' | 'items'>;
  /** The status the reservation moves to with this event. */
  status: ReservationStatus;
  reason?: string;
}

export function reservationEvent(
  kind: ReservationDomainEvent['kind'],
  reservation: Pick<Reservation, 'id' | 'orderId' | 'items'>,
  status: ReservationStatus,
  reason?: string,
): ReservationDomainEvent {
  const { id, orderId, items } = reservation;
  return { kind, reservation: { id, orderId, items }, status, ...(reason === undefined ? {} : { reason }) };
}

/** The statuses clients see: the contract's four. */
export function publicStatus(status: ReservationStatus): 'PENDING' | 'COMMITTED' | 'CANCELLED' | 'EXPIRED' {
  switch (status) {
    case 'RESERVING':
    case 'PENDING':
      return 'PENDING';
    case 'RECOMMITTING':
    case 'EXPIRED':
      return 'EXPIRED';
    case 'FAILED':
    case 'CANCELLED':
    case 'RETURNING':
    case 'RETURNED':
      return 'CANCELLED';
    case 'COMMITTED':
      return 'COMMITTED';
  }
}
