import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAnswering, contractMismatch } from '@shop/testing/answering';
import { createUserDirectory } from './user-directory.ts';

const user = { id: '65f0c0ffee0000000000abcd', email: 'a@example.com', name: 'A', role: 'customer' };

test('the user directory reads a user, and a missing one as null', async (t) => {
  assert.deepEqual(await createUserDirectory(await clientAnswering(t, 'user-service', 200, user)).find(user.id), user);
  assert.equal(await createUserDirectory(await clientAnswering(t, 'user-service', 404, { code: 'NOT_FOUND' })).exists(user.id), false);
});

test('a user without the email the contract promises fails loudly: 503 naming the field', async (t) => {
  const { email: _dropped, ...changed } = user;
  const users = createUserDirectory(await clientAnswering(t, 'user-service', 200, changed));
  await assert.rejects(users.exists(user.id), contractMismatch('email'));
});

test('an answer the contract does not foresee (our credential refused) is a 503, not the client’s fault', async (t) => {
  const users = createUserDirectory(await clientAnswering(t, 'user-service', 401, { detail: 'bad token' }));
  await assert.rejects(
    users.find(user.id),
    (error: { code?: string; message?: string }) => error.code === 'DEPENDENCY_UNAVAILABLE' && /answered 401/.test(String(error.message)),
  );
});
