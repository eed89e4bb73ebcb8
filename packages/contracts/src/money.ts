/** Money on the wire is a decimal with at most 2 fraction digits; inside it is integer cents. */
export function toMinor(amount: number): number {
  const cents = Math.round(amount * 100);
  if (!Number.isFinite(amount) || Math.abs(cents - amount * 100) > 1e-6) {
    throw new RangeError(`${amount} has more than two fraction digits`);
  }
  return cents;
}

export function fromMinor(cents: number): number {
  return cents / 100;
}
