import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { ADMIN, registerAndLogin, startUserService, uniqueEmail } from './support.ts';

test('one customer can neither read, change nor delete another; the owner and the admin can', async (t) => {
  const service = await startUserService(t);
  const alice = await registerAndLogin(service, uniqueEmail('alice'));
  const bob = await registerAndLogin(service, uniqueEmail('bob'));
  const asAlice = (method: 'GET' | 'PATCH' | 'DELETE', id: string, payload?: object) =>
    service.http.inject({ method, url: `/users/${id}`, headers: alice.headers, ...(payload ? { payload } : {}) });

  assert.equal((await asAlice('GET', bob.user.id)).statusCode, 403);
  assert.equal((await asAlice('PATCH', bob.user.id, { name: 'Hacked' })).statusCode, 403);
  assert.equal((await asAlice('DELETE', bob.user.id)).statusCode, 403);
  assert.equal((await service.http.inject({ method: 'GET', url: '/users', headers: alice.headers })).statusCode, 403);
  assert.equal((await service.http.inject({ method: 'GET', url: `/users/${bob.user.id}` })).statusCode, 401);

  const own = await asAlice('PATCH', alice.user.id, { name: 'Alice B.' });
  assert.equal(own.statusCode, 200);
  assert.equal(own.json().name, 'Alice B.');
  assert.equal((await asAlice('PATCH', alice.user.id, { role: 'admin' })).statusCode, 403);
  assert.equal((await asAlice('PATCH', alice.user.id, { email: bob.user.email, currentPassword: 'password-123' })).statusCode, 409);

  const adminLogin = await service.http.inject({ method: 'POST', url: '/login', payload: ADMIN });
  const admin = { authorization: `Bearer ${adminLogin.json().token}` };
  const bobSeen = await service.http.inject({ method: 'GET', url: `/users/${bob.user.id}`, headers: admin });
  assert.equal(bobSeen.json().name, 'Test User');
  const page = await service.http.inject({ method: 'GET', url: '/users?limit=2', headers: admin });
  assert.equal(page.statusCode, 200);
  assert.equal(page.json().items.length, 2);
  const next = await service.http.inject({ method: 'GET', url: `/users?limit=2&cursor=${page.json().nextCursor}`, headers: admin });
  assert.equal(next.json().items.length, 1);
  assert.doesNotMatch(page.body + next.body, /scrypt|password/i);
});

test('deleting a user publishes user-deleted, frees the email and the user is gone', async (t) => {
  const service = await startUserService(t);
  const email = uniqueEmail('gone');
  const alice = await registerAndLogin(service, email);
  const deleted = await service.http.inject({ method: 'DELETE', url: `/users/${alice.user.id}`, headers: alice.headers });
  assert.equal(deleted.statusCode, 204);
  assert.equal((await service.http.inject({ method: 'GET', url: `/users/${alice.user.id}`, headers: alice.headers })).statusCode, 404);
  const events = await readTopic(topics.userDeleted, (m) => m.key === alice.user.id);
  assert.deepEqual(
    events.map((m) => m.event.data),
    [{ userId: alice.user.id }],
  );
  const again = await service.http.inject({ method: 'POST', url: '/register', payload: { name: 'New', email, password: 'password-123' } });
  assert.equal(again.statusCode, 201);
});

// An email's uniqueness is held by a claim keyed by the email, never by changing a uniquely
// indexed field in place: on secantusd-rs 0.5.3-beta.196 such an update leaves the old value in the
// unique index (docs/unique-keys.md), and MongoDB's rules allow either way, so this holds on both.
test('changing an email frees the old one and claims the new one; a clash changes nothing', async (t) => {
  const service = await startUserService(t);
  const oldEmail = uniqueEmail('before');
  const newEmail = uniqueEmail('after');
  const alice = await registerAndLogin(service, oldEmail);
  const bob = await registerAndLogin(service, uniqueEmail('bob'));
  const patch = (email: string) =>
    service.http.inject({ method: 'PATCH', url: `/users/${alice.user.id}`, headers: alice.headers, payload: { email, currentPassword: 'password-123' } });

  assert.equal((await patch(bob.user.email)).statusCode, 409);
  const changed = await patch(newEmail);
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().email, newEmail);

  const login = (email: string) => service.http.inject({ method: 'POST', url: '/login', payload: { email, password: 'password-123' } });
  assert.equal((await login(newEmail)).statusCode, 200);
  assert.equal((await login(oldEmail)).statusCode, 401);
  const reuse = await service.http.inject({
    method: 'POST',
    url: '/register',
    payload: { name: 'Reuse', email: oldEmail.toUpperCase(), password: 'password-123' },
  });
  assert.equal(reuse.statusCode, 201, reuse.body);
  const taken = await service.http.inject({ method: 'POST', url: '/register', payload: { name: 'Taken', email: newEmail, password: 'password-123' } });
  assert.equal(taken.statusCode, 409);
  assert.equal((await patch(newEmail)).statusCode, 200, 'changing to the email one already has is no clash');
});
