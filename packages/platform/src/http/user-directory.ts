import { UserView } from '@shop/contracts';
import type { Static } from 'typebox';
import type { ServiceClient } from './client.ts';

export type User = Static<typeof UserView>;

/** user-service as every other service asks it (with its service credential): who a user is, whether they exist. */
export interface UserDirectory {
  /** Null: no such user. Throws 503 when user-service is away or answers outside the contract. */
  find(userId: string): Promise<User | null>;
  exists(userId: string): Promise<boolean>;
}

/** The one user-service client of the shop: `GET /users/{id}` decoded with the contract's UserView. */
export function createUserDirectory(users: ServiceClient): UserDirectory {
  const find = (userId: string) => users.get(`/users/${userId}`, UserView);
  return { find, exists: async (userId) => (await find(userId)) !== null };
}
