import { AppError, unavailable } from '@shop/platform/errors';
import type { ServiceClient } from '@shop/platform/http/client';
import type { UserDirectory } from '../domain/notifications.ts';

/** user-service `GET /users/{id}` with the service credential. */
export function createUserDirectory(client: ServiceClient): UserDirectory {
  return {
    async lookup(userId) {
      const response = await client.request<{ email?: unknown; name?: unknown }>('GET', `/users/${userId}`);
      if (response.status === 404) return null;
      const { email, name } = response.body ?? {};
      if (response.status !== 200 || typeof email !== 'string') {
        throw unavailable('user-service', new AppError('INTERNAL', `user-service answered ${response.status}`));
      }
      return { email, name: typeof name === 'string' ? name : '' };
    },
  };
}
