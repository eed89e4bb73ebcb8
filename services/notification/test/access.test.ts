import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventTypes, topics } from '@shop/contracts';
import type { Platform } from '@shop/platform/service';
import { mailCatcher } from './mail-catcher.ts';
import { bearer, eventually, fileScope, newId, startNotificationService, startPublisher, uniqueEmail } from './support.ts';

const hooks = fileScope(after);
let service: Platform;
const [alice, bob] = [newId(), newId()];

before(async () => {
  const mail = await mailCatcher(hooks);
  service = await startNotificationService(hooks, { SMTP_PORT: String(mail.smtpPort) });
  const publisher = startPublisher(hooks);
  for (const userId of [alice, bob]) {
    await publisher.publish(topics.userCreated, publisher.event(eventTypes.userCreated, userId, { userId, email: uniqueEmail('u'), name: 'U' }));
  }
  // Sent, not just stored: a welcome still PENDING becomes SENT between two reads of a test below.
  await eventually('both welcomes sent', async () =>
    (await service.mongo.db.collection('notifications').countDocuments({ userId: { $in: [alice, bob] }, status: 'SENT' })) === 2 ? true : undefined,
  );
});

const list = (query: string, headers: Record<string, string> = {}) => service.http.inject({ method: 'GET', url: `/notifications${query}`, headers });

test('a customer reads only their own notifications; another user is 403, no token 401; an admin reads anyone', async () => {
  const asAlice = bearer(service, { sub: alice, role: 'customer' });
  const own = await list('', asAlice);
  assert.equal(own.statusCode, 200);
  assert.deepEqual(
    own.json().items.map((n: { userId: string; type: string; channel: string }) => [n.userId, n.type, n.channel]),
    [[alice, 'user.created', 'email']],
  );
  assert.equal(own.json().nextCursor, null);
  assert.deepEqual((await list(`?userId=${alice}`, asAlice)).json(), own.json());
  assert.equal((await list(`?userId=${bob}`, asAlice)).statusCode, 403);
  assert.equal((await list(`?userId=${bob}`)).statusCode, 401);
  assert.equal((await list('', { authorization: 'Bearer nope' })).statusCode, 401);

  const admin = bearer(service, { sub: newId(), role: 'admin' });
  const bobs = await list(`?userId=${bob}`, admin);
  assert.deepEqual(
    bobs.json().items.map((n: { userId: string }) => n.userId),
    [bob],
  );
  const page = await list('?limit=1', admin);
  assert.equal(page.json().items.length, 1);
  assert.match(page.json().nextCursor, /^[0-9a-f]{24}$/);
  const next = await list(`?limit=1&cursor=${page.json().nextCursor}`, admin);
  assert.notEqual(next.json().items[0]?.id, page.json().items[0]?.id);
});

test('bad query strings are a 400 problem+json naming the parameter', async () => {
  const asAlice = bearer(service, { sub: alice, role: 'customer' });
  const cases: [string, RegExp][] = [
    ['?userId=not-an-id', /querystring\.userId/],
    ['?limit=0', /querystring\.limit/],
    ['?limit=201', /querystring\.limit/],
    ['?cursor=zzz', /querystring\.cursor/],
    ['?status=SENT', /querystring\.status/],
    ['?userId[$ne]=x', /querystring/],
  ];
  for (const [query, mentions] of cases) {
    const response = await list(query, asAlice);
    assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.match(response.json().detail, mentions, query);
  }
});
