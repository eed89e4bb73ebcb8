import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccessCheck, type UserAccessState } from './access.ts';
import { type AppError, unavailable } from './errors.ts';

function world() {
  let clock = 0;
  const users = new Map<string, UserAccessState>([['u1', { role: 'customer', tokenVersion: 0 }]]);
  let down = false;
  let lookups = 0;
  const check = createAccessCheck({
    freshMs: 5_000,
    staleMs: 60_000,
    now: () => clock,
    lookup: async (id) => {
      lookups++;
      if (down) throw unavailable('user-service');
      return users.get(id) ?? null;
    },
  });
  return {
    check,
    users,
    advance: (ms: number) => (clock += ms),
    setDown: (value: boolean) => (down = value),
    lookups: () => lookups,
  };
}
const status = (code: number) => (e: AppError) => e.status === code;

test('a token holds while its user exists with the same role and version, asked once per interval', async () => {
  const w = world();
  await w.check({ sub: 'u1', role: 'customer' });
  await w.check({ sub: 'u1', role: 'customer', ver: 0 });
  assert.equal(w.lookups(), 1);
});

test('a deleted, demoted or re-passworded user loses old tokens within the interval', async () => {
  const w = world();
  await w.check({ sub: 'u1', role: 'customer' });
  w.users.set('u1', { role: 'customer', tokenVersion: 1 });
  await w.check({ sub: 'u1', role: 'customer' }); // still inside the interval
  w.advance(5_000);
  await assert.rejects(w.check({ sub: 'u1', role: 'customer' }), status(401));
  await w.check({ sub: 'u1', role: 'customer', ver: 1 });
  w.users.set('u1', { role: 'admin', tokenVersion: 1 });
  w.advance(5_000);
  await assert.rejects(w.check({ sub: 'u1', role: 'customer', ver: 1 }), status(401));
  w.users.delete('u1');
  w.advance(5_000);
  await assert.rejects(w.check({ sub: 'u1', role: 'admin', ver: 1 }), status(401));
});

test('while user-service is away a recent answer still admits; an old one gives 503', async () => {
  const w = world();
  await w.check({ sub: 'u1', role: 'customer' });
  w.setDown(true);
  w.advance(10_000);
  await w.check({ sub: 'u1', role: 'customer' });
  w.advance(60_000);
  await assert.rejects(w.check({ sub: 'u1', role: 'customer' }), status(503));
  await assert.rejects(w.check({ sub: 'u2', role: 'customer' }), status(503));
});
