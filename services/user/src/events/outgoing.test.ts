import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outboxEntries } from './outgoing.ts';

const at = new Date();
const user = {
  id: '65f0c0ffee0000000000abcd',
  name: 'Alice',
  email: 'Alice@Example.com',
  role: 'customer' as const,
  tokenVersion: 0,
  passwordHash: 'h',
  createdAt: at,
  updatedAt: at,
};

test('user domain events become user-created and user-deleted, keyed by the user', () => {
  const [created, deleted] = outboxEntries([
    { kind: 'userCreated', user },
    { kind: 'userDeleted', userId: user.id },
  ]);
  assert.equal(created?.topic, 'user-created');
  assert.equal(created?.key, user.id);
  assert.deepEqual(created?.event.data, { userId: user.id, email: 'Alice@Example.com', name: 'Alice' });
  assert.equal(deleted?.topic, 'user-deleted');
  assert.deepEqual(deleted?.event.data, { userId: user.id });
});
