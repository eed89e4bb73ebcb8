/**
 * Units of one product held for one reservation. `tag` names the hold exactly: the reservation
 * id, plus `:late` for units taken again by a payment that arrived after expiry, so giving back
 * an old hold can never remove a new one.
 */
export interface Hold {
  tag: string;
  reservationId: string;
  quantity: number;
}

/** One product's stock. `available = onHand - reserved >= 0`, and `reserved` is the sum of the holds. */
export interface StockRecord {
  id: string;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  holds: Hold[];
  /** The product was deleted while units were held; the record goes once the holds drain. */
  discontinued: boolean;
  /** Marks of returns already put back on hand (see returnTag), kept until their reservation is RETURNED. */
  returns: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Stock as shown to clients. */
export interface StockLevel {
  id: string;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  discontinued?: true;
}

/** Builds a hold element; always with the same fields in the same order, as `$pull` matches whole values. */
export function holdFor(reservationId: string, quantity: number, late = false): Hold {
  return { tag: late ? `${reservationId}:late` : reservationId, reservationId, quantity };
}

/** Marks that a returned reservation's units of this product are back on hand, so a repeat adds nothing. */
export const returnTag = (reservationId: string) => `${reservationId}:returned`;

/** True when the counters agree with each other and with the holds. */
export function addsUp(stock: Pick<StockRecord, 'onHand' | 'reserved' | 'available' | 'holds'>): boolean {
  const held = stock.holds.reduce((sum, hold) => sum + hold.quantity, 0);
  return stock.available === stock.onHand - stock.reserved && stock.available >= 0 && stock.reserved === held;
}

export function toStockLevel(stock: StockRecord): StockLevel {
  return {
    id: stock.id,
    productId: stock.productId,
    onHand: stock.onHand,
    reserved: stock.reserved,
    available: stock.available,
    ...(stock.discontinued ? { discontinued: true as const } : {}),
  };
}
