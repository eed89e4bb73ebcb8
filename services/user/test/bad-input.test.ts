import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startUserService, uniqueEmail } from './support.ts';

const json = { 'content-type': 'application/json' };

test('bad input gets a 4xx problem+json naming the field, and nothing is written', async (t) => {
  const service = await startUserService(t);
  const users = service.mongo.db.collection('users');
  const before = await users.countDocuments();
  const email = uniqueEmail('bad');
  const cases: { name: string; url: string; payload: string; status: number; mentions?: RegExp }[] = [
    { name: 'malformed JSON', url: '/register', payload: '{"name": "x", ', status: 400, mentions: /JSON/ },
    { name: 'wrong type', url: '/register', payload: JSON.stringify({ name: 5, email, password: 'password-123' }), status: 400, mentions: /body\.name/ },
    { name: 'missing field', url: '/register', payload: JSON.stringify({ name: 'x', email }), status: 400, mentions: /body\.password/ },
    {
      name: 'extra field',
      url: '/register',
      payload: JSON.stringify({ name: 'x', email, password: 'password-123', role: 'admin' }),
      status: 400,
      mentions: /body\.role/,
    },
    {
      name: 'operator injection on register',
      url: '/register',
      payload: JSON.stringify({ name: 'x', email: { $ne: null }, password: 'password-123' }),
      status: 400,
      mentions: /body\.email/,
    },
    {
      name: 'operator injection on login',
      url: '/login',
      payload: JSON.stringify({ email: { $ne: null }, password: 'x' }),
      status: 400,
      mentions: /body\.email/,
    },
    {
      name: 'not an email',
      url: '/register',
      payload: JSON.stringify({ name: 'x', email: 'nope', password: 'password-123' }),
      status: 400,
      mentions: /body\.email/,
    },
    { name: 'oversized body', url: '/register', payload: JSON.stringify({ name: 'x'.repeat(70_000), email, password: 'password-123' }), status: 413 },
  ];
  for (const c of cases) {
    const response = await service.http.inject({ method: 'POST', url: c.url, headers: json, payload: c.payload });
    assert.equal(response.statusCode, c.status, `${c.name}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, c.name);
    const problem = response.json();
    assert.equal(problem.status, c.status, c.name);
    assert.ok(problem.title && problem.type && problem.code, c.name);
    if (c.mentions) assert.match(problem.detail, c.mentions, c.name);
  }
  const wrongMedia = await service.http.inject({ method: 'POST', url: '/register', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
  assert.equal(wrongMedia.statusCode, 415);
  const badId = await service.http.inject({ method: 'GET', url: '/users/not-an-id', headers: { authorization: 'Bearer x' } });
  assert.equal(badId.statusCode, 401);
  assert.equal(await users.countDocuments(), before);
});

test('a wrong password and an unknown email get the same 401', async (t) => {
  const service = await startUserService(t);
  const email = uniqueEmail('login');
  await service.http.inject({ method: 'POST', url: '/register', payload: { name: 'x', email, password: 'password-123' } });
  const wrong = await service.http.inject({ method: 'POST', url: '/login', payload: { email, password: 'password-124' } });
  const unknown = await service.http.inject({ method: 'POST', url: '/login', payload: { email: uniqueEmail('ghost'), password: 'password-123' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.statusCode, 401);
  const strip = ({ instance: _i, requestId: _r, ...rest }: Record<string, unknown>) => rest;
  assert.deepEqual(strip(wrong.json()), strip(unknown.json()));
});
