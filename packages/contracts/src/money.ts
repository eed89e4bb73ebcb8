/**
 * True for a decimal with at most 2 fraction digits, as written. Checked on the number's shortest
 * decimal form (what JSON carries), not by dividing by 0.01: in binary floating point
 * 1234567.89 / 0.01 is 123456788.99999999, which is why `multipleOf: 0.01` refused it.
 */
export function isMoneyAmount(amount: number): boolean {
  return Number.isFinite(amount) && /^-?\d+(\.\d{1,2})?$/.test(String(amount));
}

/** Money on the wire is a decimal with at most 2 fraction digits; inside it is integer cents. */
export function toMinor(amount: number): number {
  if (!isMoneyAmount(amount)) throw new RangeError(`${amount} has more than two fraction digits`);
  return Math.round(amount * 100);
}

export function fromMinor(cents: number): number {
  return cents / 100;
}
