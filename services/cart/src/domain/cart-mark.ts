/**
 * Telling the units an order took from units put back after it (docs/cart-marks.md).
 *
 * order.confirmed can arrive after the customer has emptied the cart, or removed or replaced a
 * line, and put the same product in again; taking the order's units out then would take the new
 * ones. So the cart counts its resets: `emptied` (the whole cart) and, per line, how often it was
 * removed or replaced since. order-service reads these with the cart, as an opaque mark, and hands
 * them back in the order's events. A line whose counters have not moved since still holds the
 * ordered units; any other line holds only units put there after the order was placed.
 */

/** How often the cart was emptied, and each line removed or replaced since then. */
export interface ResetCounts {
  emptied: number;
  /** productId → resets of that line since the cart was last emptied (absent: none). */
  lines: Record<string, number>;
}

/** The mark of a cart holding `productIds`: `emptied`, then `.productId-resets` for each line reset since. */
export function markOf(counts: ResetCounts, productIds: readonly string[]): string {
  const lines = productIds.filter((id) => (counts.lines[id] ?? 0) > 0).map((id) => `.${id}-${counts.lines[id]}`);
  return `${counts.emptied}${lines.join('')}`;
}

/** The counts a mark was made from; null when it is not one (then the order is applied as before marks existed). */
export function parseMark(mark: string | undefined): ResetCounts | null {
  if (mark === undefined) return null;
  const [emptied, ...lines] = mark.split('.');
  if (!/^\d{1,9}$/.test(emptied ?? '')) return null;
  const counts: ResetCounts = { emptied: Number(emptied), lines: {} };
  for (const line of lines) {
    const match = /^([0-9a-f]{24})-(\d{1,9})$/.exec(line);
    if (!match) return null;
    counts.lines[match[1] as string] = Number(match[2]);
  }
  return counts;
}

/**
 * The lines of `productIds` that still hold what the order took, given the cart's counts now and
 * those the order read (`at`): none once the cart was emptied since; else each line not reset since.
 */
export function linesUntouched(now: ResetCounts, at: ResetCounts, productIds: readonly string[]): string[] {
  if (now.emptied > at.emptied) return [];
  return productIds.filter((id) => (now.lines[id] ?? 0) <= (at.lines[id] ?? 0));
}
