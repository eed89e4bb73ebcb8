// First: OpenTelemetry as a service process has it (--import), before the modules it instruments load.
import '@shop/testing/tracing';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { readTopic } from '@shop/testing/kafka-reader';
import { startUserService, uniqueEmail } from './support.ts';

test('registering returns the user without any password and publishes exactly one user-created', async (t) => {
  const service = await startUserService(t);
  const email = uniqueEmail('Reg');
  const response = await service.http.inject({
    method: 'POST',
    url: '/register',
    payload: { name: 'Ann', email, password: 'password-123', phone: '+1 555 0100' },
  });
  assert.equal(response.statusCode, 201);
  const user = response.json();
  assert.equal(user.email, email);
  assert.equal(user.role, 'customer');
  assert.match(user.id, /^[0-9a-f]{24}$/);
  assert.doesNotMatch(response.body, /password|scrypt/i);

  const messages = await readTopic(topics.userCreated, (m) => m.key === user.id);
  assert.equal(messages.length, 1);
  const [message] = messages;
  assert.equal(message?.event.type, 'user.created');
  assert.equal(message?.event.subject, user.id);
  assert.deepEqual(message?.event.data, { userId: user.id, email, name: 'Ann' });
  assert.match(message?.headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
});

test('an email already registered, in any case, is a 409 and writes nothing', async (t) => {
  const service = await startUserService(t);
  const email = uniqueEmail('dup');
  const first = await service.http.inject({ method: 'POST', url: '/register', payload: { name: 'A', email, password: 'password-123' } });
  assert.equal(first.statusCode, 201);
  const second = await service.http.inject({ method: 'POST', url: '/register', payload: { name: 'B', email: email.toUpperCase(), password: 'password-123' } });
  assert.equal(second.statusCode, 409);
  assert.equal(second.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(second.json().code, 'CONFLICT');
  assert.equal(await service.mongo.db.collection('users').countDocuments({ emailKey: email.toLowerCase() }), 1);
});

test('the admin account exists after start, once, and can log in', async (t) => {
  const service = await startUserService(t);
  const login = await service.http.inject({ method: 'POST', url: '/login', payload: { email: 'admin@shop.test', password: 'admin-password-1' } });
  assert.equal(login.statusCode, 200);
  assert.equal(login.json().user.role, 'admin');
  assert.equal(await service.mongo.db.collection('users').countDocuments({ role: 'admin' }), 1);
});
