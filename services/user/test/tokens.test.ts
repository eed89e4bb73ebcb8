import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ADMIN, registerAndLogin, startUserService, uniqueEmail } from './support.ts';

// The answer on a token is reused for TOKEN_CHECK_INTERVAL_MS (5 s by default); 0 here, so a
// revocation shows on the next request.
const now = { TOKEN_REVOCATION: 'checked', TOKEN_CHECK_INTERVAL_MS: '0' };

test("a changed password, a demotion or a deletion revokes the user's earlier tokens", async (t) => {
  const service = await startUserService(t, now);
  const get = (id: string, headers: Record<string, string>) => service.http.inject({ method: 'GET', url: `/users/${id}`, headers });
  const alice = await registerAndLogin(service, uniqueEmail('alice'));
  assert.equal((await get(alice.user.id, alice.headers)).statusCode, 200);

  const changed = await service.http.inject({
    method: 'PATCH',
    url: `/users/${alice.user.id}`,
    headers: alice.headers,
    payload: { password: 'password-456', currentPassword: 'password-123' },
  });
  assert.equal(changed.statusCode, 200, changed.body);
  const revoked = await get(alice.user.id, alice.headers);
  assert.equal(revoked.statusCode, 401);
  assert.match(revoked.json().detail, /revoked/);

  const adminToken = (await service.http.inject({ method: 'POST', url: '/login', payload: ADMIN })).json().token;
  const admin = { authorization: `Bearer ${adminToken}` };
  const bob = await registerAndLogin(service, uniqueEmail('bob'));
  await service.http.inject({ method: 'PATCH', url: `/users/${bob.user.id}`, headers: admin, payload: { role: 'admin' } });
  const bobAdmin = {
    authorization: `Bearer ${(await service.http.inject({ method: 'POST', url: '/login', payload: { email: bob.user.email, password: 'password-123' } })).json().token}`,
  };
  assert.equal((await service.http.inject({ method: 'GET', url: '/users', headers: bobAdmin })).statusCode, 200);
  await service.http.inject({ method: 'PATCH', url: `/users/${bob.user.id}`, headers: admin, payload: { role: 'customer' } });
  assert.equal((await service.http.inject({ method: 'GET', url: '/users', headers: bobAdmin })).statusCode, 401, 'a demoted admin token is dead');

  await service.http.inject({ method: 'DELETE', url: `/users/${bob.user.id}`, headers: admin });
  assert.equal((await get(bob.user.id, bob.headers)).statusCode, 401, "a deleted user's token is dead");
});

test('the last admin can neither demote nor delete themselves', async (t) => {
  const service = await startUserService(t, now);
  const login = await service.http.inject({ method: 'POST', url: '/login', payload: ADMIN });
  const { token, user } = login.json();
  const headers = { authorization: `Bearer ${token}` };
  const demote = await service.http.inject({ method: 'PATCH', url: `/users/${user.id}`, headers, payload: { role: 'customer' } });
  assert.equal(demote.statusCode, 409);
  assert.equal((await service.http.inject({ method: 'DELETE', url: `/users/${user.id}`, headers })).statusCode, 409);
  assert.equal((await service.http.inject({ method: 'GET', url: '/users', headers })).statusCode, 200);
});

test('the admin account follows ADMIN_PASSWORD on restart; the old password and its tokens stop working', async (t) => {
  const env = { ...now, MONGO_DB: `test_${randomBytes(6).toString('hex')}` };
  const first = await startUserService(t, env);
  const oldToken = (await first.http.inject({ method: 'POST', url: '/login', payload: ADMIN })).json().token;
  await first.close();
  const rotated = await startUserService(t, { ...env, ADMIN_PASSWORD: 'rotated-password-2' });
  assert.equal((await rotated.http.inject({ method: 'POST', url: '/login', payload: ADMIN })).statusCode, 401);
  const fresh = await rotated.http.inject({ method: 'POST', url: '/login', payload: { email: ADMIN.email, password: 'rotated-password-2' } });
  assert.equal(fresh.statusCode, 200);
  assert.equal((await rotated.http.inject({ method: 'GET', url: '/users', headers: { authorization: `Bearer ${oldToken}` } })).statusCode, 401);
});

test('other services learn of a revocation from user-service: GET /users/{id}/access is for services only', async (t) => {
  const service = await startUserService(t, now);
  const alice = await registerAndLogin(service, uniqueEmail('alice'));
  const access = (headers: Record<string, string>) => service.http.inject({ method: 'GET', url: `/users/${alice.user.id}/access`, headers });
  assert.equal((await access(alice.headers)).statusCode, 403);
  const asOrder = { authorization: `Bearer ${service.auth.serviceToken('user-service')}` };
  const answer = await access(asOrder);
  assert.equal(answer.statusCode, 200);
  assert.deepEqual(answer.json(), { userId: alice.user.id, role: 'customer', tokenVersion: 0 });
});
