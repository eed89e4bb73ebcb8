import { UserAccess, UserView } from '@shop/contracts';
import type { Static } from 'typebox';
import type { UserAccessState } from '../access.ts';
import type { ServiceClient } from './client.ts';

export type User = Static<typeof UserView>;

/** user-service as every other service asks it (with its service credential): who a user is, whether they exist. */
export interface UserDirectory {
  /** Null: no such user. Throws 503 when user-service is away or answers outside the contract. */
  find(userId: string): Promise<User | null>;
  exists(userId: string): Promise<boolean>;
  /** The user's role and token version now (null: no such user), for revocable tokens (see access.ts). */
  access(userId: string): Promise<UserAccessState | null>;
}

/** The one user-service client of the shop: `GET /users/{id}` and `/users/{id}/access`, decoded with the contract's schemas. */
export function createUserDirectory(users: ServiceClient): UserDirectory {
  const find = (userId: string) => users.get(`/users/${userId}`, UserView);
  return {
    find,
    exists: async (userId) => (await find(userId)) !== null,
    access: async (userId) => {
      const access = await users.get(`/users/${userId}/access`, UserAccess);
      return access && { role: access.role, tokenVersion: access.tokenVersion };
    },
  };
}
