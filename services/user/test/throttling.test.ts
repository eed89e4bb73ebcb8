import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { startUserService, uniqueEmail } from './support.ts';

const login = (email: string, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/login',
  headers,
  payload: { email, password: 'password-123' },
});

test('login is limited per account over all replicas: attempts spread over two processes count together', async (t) => {
  const env = { MONGO_DB: `test_${randomBytes(6).toString('hex')}`, LOGIN_RATE_LIMIT: '3' };
  const replicas = [await startUserService(t, env), await startUserService(t, env)];
  const email = uniqueEmail('limit');
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await replicas[i % 2]?.http.inject(login(email)))?.statusCode ?? 0);
  assert.deepEqual(statuses, [401, 401, 401, 429]);
  const limited = await replicas[0]?.http.inject(login(email));
  assert.equal(limited?.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.ok(Number(limited?.headers['retry-after']) > 0);
  assert.equal((await replicas[1]?.http.inject(login(uniqueEmail('other'))))?.statusCode, 401, 'another account is not limited');
});

test('login and register are limited per client address, whatever the emails', async (t) => {
  const service = await startUserService(t, { CLIENT_RATE_LIMIT: '4' });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await service.http.inject(login(uniqueEmail('spray')))).statusCode);
  const register = (email: string, headers: Record<string, string> = {}) =>
    service.http.inject({ method: 'POST', url: '/register', headers, payload: { name: 'Spray', email, password: 'password-123' } });
  statuses.push((await register(uniqueEmail('spray'))).statusCode);
  statuses.push((await register(uniqueEmail('spray'))).statusCode);
  assert.deepEqual(statuses, [401, 401, 401, 201, 429]);
  // Without a configured gateway, a forwarded address is not believed: it cannot dodge the limit.
  const forwarded = await register(uniqueEmail('spray'), { 'x-forwarded-for': '203.0.113.9' });
  assert.equal(forwarded.statusCode, 429);
});

test('a forwarded client address is believed from the configured gateway only', async (t) => {
  const service = await startUserService(t, { CLIENT_RATE_LIMIT: '2', TRUSTED_PROXIES: '127.0.0.1' });
  const from = (client: string) => service.http.inject(login(uniqueEmail('via-gateway'), { 'x-forwarded-for': client }));
  assert.deepEqual([(await from('203.0.113.1')).statusCode, (await from('203.0.113.1')).statusCode, (await from('203.0.113.1')).statusCode], [401, 401, 429]);
  assert.equal((await from('203.0.113.2')).statusCode, 401, 'another client behind the gateway has its own count');
});
