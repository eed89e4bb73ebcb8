import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, createAuth, requireRole, requireSelfOrPrivileged } from './auth.ts';
import type { AppError } from './errors.ts';
import { generateKeyPair } from './keys.ts';

const keys = { user: generateKeyPair(), order: generateKeyPair(), payment: generateKeyPair() };
const verifyKeys = new Map([
  ['user-service', keys.user.publicKey],
  ['order-service', keys.order.publicKey],
  ['payment-service', keys.payment.publicKey],
]);
const authOf = (serviceName: string, signingKey?: string, ttlSeconds = 60) => createAuth({ serviceName, ttlSeconds, signingKey, verifyKeys });
const users = authOf('user-service', keys.user.privateKey);
const orders = authOf('order-service', keys.order.privateKey);
const payments = authOf('payment-service', keys.payment.privateKey);
const refused = (e: AppError) => e.status === 401;

test('a user token signed by user-service is verified back to its principal, with its version, by any service', () => {
  const token = users.issue({ sub: 'u1', role: 'customer', email: 'a@b.c', ver: 2 });
  assert.deepEqual(payments.verify(token), { sub: 'u1', role: 'customer', email: 'a@b.c', ver: 2 });
  assert.deepEqual(users.verify(token), { sub: 'u1', role: 'customer', email: 'a@b.c', ver: 2 });
});

test('no service but user-service can mint a user or an admin', () => {
  assert.throws(() => payments.verify(orders.issue({ sub: 'u1', role: 'admin' })), refused);
  assert.throws(() => authOf('cart-service').issue({ sub: 'u1', role: 'admin' }), /no TOKEN_SIGNING_KEY/);
});

test('a token signed with a key the issuer does not hold, or expired, is refused with 401', () => {
  const impostor = createAuth({ serviceName: 'user-service', ttlSeconds: 60, signingKey: generateKeyPair().privateKey, verifyKeys });
  assert.throws(() => orders.verify(impostor.issue({ sub: 'u1', role: 'admin' })), refused);
  const expired = authOf('user-service', keys.user.privateKey, -1).issue({ sub: 'u', role: 'admin' });
  assert.throws(() => orders.verify(expired), refused);
  assert.throws(() => orders.verify('not.a.token'), refused);
});

test('a service credential is accepted only by the service it is addressed to, and only as that service', () => {
  assert.deepEqual(payments.verify(orders.serviceToken('payment-service')), { sub: 'order-service', role: 'service' });
  assert.throws(() => users.verify(orders.serviceToken('payment-service')), refused);
  // user-service cannot speak as order-service.
  assert.throws(() => payments.verify(users.issue({ sub: 'order-service', role: 'service' })), refused);
  assert.throws(
    () => requireRole(payments.verify(orders.serviceToken('payment-service')), 'admin'),
    (e: AppError) => e.status === 403,
  );
});

test('confirm asks the access check for users, never for services', async () => {
  const asked: string[] = [];
  payments.useAccessCheck(async (principal) => {
    asked.push(principal.sub);
  });
  await payments.confirm({ sub: 'u1', role: 'customer' });
  await payments.confirm({ sub: 'order-service', role: 'service' });
  assert.deepEqual(asked, ['u1']);
});

test('role and ownership checks', () => {
  assert.throws(
    () => requireRole({ sub: 'u', role: 'customer' }, 'admin'),
    (e: AppError) => e.status === 403,
  );
  assert.doesNotThrow(() => requireRole({ sub: 'u', role: 'admin' }, 'admin'));
  assert.throws(
    () => requireSelfOrPrivileged({ sub: 'u1', role: 'customer' }, 'u2'),
    (e: AppError) => e.status === 403,
  );
  assert.doesNotThrow(() => requireSelfOrPrivileged({ sub: 'u1', role: 'customer' }, 'u1'));
  assert.doesNotThrow(() => requireSelfOrPrivileged({ sub: 'x', role: 'service' }, 'u2'));
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('Basic abc'), undefined);
});
