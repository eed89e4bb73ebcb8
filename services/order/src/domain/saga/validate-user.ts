import { notFound } from '@shop/platform/errors';
import type { Users } from '../ports.ts';
import type { Step } from './saga.ts';

/** The buyer must exist in user-service. Reads only: nothing to undo. */
export const validateUser = (users: Users): Step<string, void> => ({
  name: 'validate-user',
  async invoke(userId) {
    if (!(await users.exists(userId))) throw notFound('User');
  },
});
