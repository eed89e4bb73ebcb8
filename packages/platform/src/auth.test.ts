import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, createAuth, requireRole, requireSelfOrPrivileged } from './auth.ts';
import type { AppError } from './errors.ts';

const auth = createAuth({ secret: 'test-secret-0123456789', ttlSeconds: 60, serviceName: 'order-service' });

test('a token issued is verified back to its principal', () => {
  const token = auth.issue({ sub: 'u1', role: 'customer', email: 'a@b.c' });
  assert.deepEqual(auth.verify(token), { sub: 'u1', role: 'customer', email: 'a@b.c' });
});

test('a token signed with another secret, or expired, is refused with 401', () => {
  const other = createAuth({ secret: 'another-secret-012345', ttlSeconds: 60, serviceName: 'x' });
  assert.throws(
    () => auth.verify(other.issue({ sub: 'u1', role: 'admin' })),
    (e: AppError) => e.status === 401,
  );
  const expired = createAuth({ secret: 'test-secret-0123456789', ttlSeconds: -1, serviceName: 'x' }).issue({ sub: 'u', role: 'admin' });
  assert.throws(
    () => auth.verify(expired),
    (e: AppError) => e.status === 401,
  );
});

test('service tokens carry the service role', () => {
  assert.deepEqual(auth.verify(auth.serviceToken()), { sub: 'order-service', role: 'service' });
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
