import { AppError, unavailable } from '@shop/platform/errors';
import type { ServiceClient } from '@shop/platform/http/client';
import type { UserDirectory } from '../domain/carts.ts';

/** user-service `GET /users/{id}` with the service credential: 200 exists, 404 does not. */
export function createUserDirectory(client: ServiceClient): UserDirectory {
  return {
    async exists(userId) {
      const response = await client.request('GET', `/users/${userId}`);
      if (response.status === 200) return true;
      if (response.status === 404) return false;
      // 401/403 mean our credential is not accepted: a configuration fault, not the client's.
      throw unavailable('user-service', new AppError('INTERNAL', `user-service answered ${response.status}`));
    },
  };
}
