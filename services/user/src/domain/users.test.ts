import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppError } from '@shop/platform/errors';
import { createPasswordHasher } from './password.ts';
import { emailKey, type UserDomainEvent, type UserRecord } from './user.ts';
import { createUserRules, type UserStore } from './users.ts';

/** An in-memory UserStore: enough to test the rules without a database. */
function fakeStore() {
  const users = new Map<string, UserRecord>();
  const outbox: UserDomainEvent[] = [];
  const byEmail = (key: string) => [...users.values()].find((u) => emailKey(u.email) === key) ?? null;
  const store: UserStore = {
    newId: () => randomBytes(12).toString('hex'),
    async insert(user, events) {
      if (byEmail(emailKey(user.email))) throw new AppError('CONFLICT', 'taken');
      users.set(user.id, user);
      outbox.push(...events);
    },
    async insertIfAbsent(user, events) {
      if (byEmail(emailKey(user.email))) return false;
      await store.insert(user, events);
      return true;
    },
    findById: async (id) => users.get(id) ?? null,
    findByEmail: async (key) => byEmail(key),
    list: async (limit) => [...users.values()].slice(0, limit),
    async update(id, changes, options = {}) {
      const user = users.get(id);
      if (!user) return null;
      const updated = { ...user, ...changes, tokenVersion: user.tokenVersion + (options.revokeTokens ? 1 : 0) };
      users.set(id, updated);
      return updated;
    },
    countAdmins: async () => [...users.values()].filter((u) => u.role === 'admin').length,
    async remove(id, events) {
      outbox.push(...events);
      return users.delete(id);
    },
  };
  return { store, outbox, users };
}

function setup() {
  const fake = fakeStore();
  const rules = createUserRules({
    store: fake.store,
    hasher: createPasswordHasher(1024),
    issueToken: (principal) => `token-for-${principal.sub}-${principal.role}-v${principal.ver}`,
    eventsQueued: () => {},
  });
  return { ...fake, rules };
}

const alice = { name: 'Alice', email: 'Alice@Example.com', password: 'correct horse' };

test('registering stores a hashed password and queues exactly one user-created event', async () => {
  const { rules, outbox } = setup();
  const user = await rules.register(alice);
  assert.notEqual(user.passwordHash, alice.password);
  assert.match(user.passwordHash, /^scrypt\$/);
  assert.deepEqual(outbox, [{ kind: 'userCreated', user }]);
});

test('login accepts the password in any email case and refuses wrong ones with the same 401', async () => {
  const { rules } = setup();
  const user = await rules.register(alice);
  const session = await rules.login('  alice@EXAMPLE.com ', alice.password);
  assert.equal(session.token, `token-for-${user.id}-customer-v0`);
  const wrongPassword = await rules.login(alice.email, 'wrong password').catch((e: AppError) => e);
  const unknownEmail = await rules.login('nobody@example.com', alice.password).catch((e: AppError) => e);
  assert.ok(wrongPassword instanceof AppError && unknownEmail instanceof AppError);
  assert.equal(wrongPassword.status, 401);
  assert.deepEqual([wrongPassword.status, wrongPassword.message], [unknownEmail.status, unknownEmail.message]);
});

test('a customer can neither read, change nor delete another customer', async () => {
  const { rules } = setup();
  const a = await rules.register(alice);
  const b = await rules.register({ ...alice, email: 'bob@example.com' });
  const asA = { sub: a.id, role: 'customer' as const };
  for (const attempt of [rules.get(asA, b.id), rules.update(asA, b.id, { name: 'x' }), rules.remove(asA, b.id)]) {
    await assert.rejects(attempt, (e: AppError) => e.status === 403);
  }
  await assert.rejects(rules.update(asA, a.id, { role: 'admin' }), (e: AppError) => e.status === 403);
});

test('deleting queues user-deleted', async () => {
  const { rules, outbox } = setup();
  const a = await rules.register(alice);
  await rules.remove({ sub: a.id, role: 'customer' }, a.id);
  assert.deepEqual(outbox.at(-1), { kind: 'userDeleted', userId: a.id });
});

test('the admin account follows the configured password at every start, which revokes its tokens', async () => {
  const { rules, users } = setup();
  assert.equal(await rules.ensureAdmin('admin@shop.local', 'first-password'), 'created');
  assert.equal(await rules.ensureAdmin('admin@shop.local', 'first-password'), 'unchanged');
  const admin = [...users.values()].find((u) => u.role === 'admin');
  assert.ok(admin);
  assert.equal(await rules.ensureAdmin('admin@shop.local', 'rotated-password'), 'updated');
  await assert.rejects(rules.login('admin@shop.local', 'first-password'), (e: AppError) => e.status === 401);
  const session = await rules.login('admin@shop.local', 'rotated-password');
  assert.equal(session.token, `token-for-${admin.id}-admin-v1`);
  assert.deepEqual(await rules.access(admin.id), { role: 'admin', tokenVersion: 1 });
});

test('changing your own email or password needs your current password, and revokes your tokens', async () => {
  const { rules } = setup();
  const a = await rules.register(alice);
  const asA = { sub: a.id, role: 'customer' as const };
  await assert.rejects(rules.update(asA, a.id, { password: 'new password 1' }), (e: AppError) => e.status === 400 && e.details?.field === 'currentPassword');
  await assert.rejects(rules.update(asA, a.id, { email: 'new@example.com', currentPassword: 'wrong' }), (e: AppError) => e.status === 403);
  await rules.update(asA, a.id, { name: 'Alice B' }); // a name needs no password, and revokes nothing
  assert.deepEqual(await rules.access(a.id), { role: 'customer', tokenVersion: 0 });
  await rules.update(asA, a.id, { password: 'new password 1', currentPassword: alice.password });
  assert.deepEqual(await rules.access(a.id), { role: 'customer', tokenVersion: 1 });
  await rules.remove(asA, a.id);
  assert.equal(await rules.access(a.id), null);
});

test('the last admin can be neither demoted nor deleted; a demotion revokes tokens', async () => {
  const { rules, users } = setup();
  await rules.ensureAdmin('admin@shop.local', 'admin-password-1');
  const admin = [...users.values()].find((u) => u.role === 'admin');
  assert.ok(admin);
  const asAdmin = { sub: admin.id, role: 'admin' as const };
  await assert.rejects(rules.update(asAdmin, admin.id, { role: 'customer' }), (e: AppError) => e.status === 409);
  await assert.rejects(rules.remove(asAdmin, admin.id), (e: AppError) => e.status === 409);
  const b = await rules.register({ ...alice, email: 'bob@example.com' });
  await rules.update(asAdmin, b.id, { role: 'admin' });
  assert.deepEqual(await rules.access(b.id), { role: 'admin', tokenVersion: 1 });
  await rules.update(asAdmin, admin.id, { role: 'customer' });
  assert.deepEqual(await rules.access(admin.id), { role: 'customer', tokenVersion: 1 });
});
