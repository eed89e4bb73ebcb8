import { notFound } from '@shop/platform/errors';
import type { Users } from '../ports.ts';

/** The buyer must exist in user-service (asked once per order; payment-service trusts us on it). */
export async function validateUser(users: Users, userId: string): Promise<void> {
  if (!(await users.exists(userId))) throw notFound('User');
}
