import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topics } from '@shop/contracts';
import { createAtomically } from '@shop/platform/mongo/transaction';
import { testEnv } from '@shop/testing/env';
import { readTopic } from '@shop/testing/kafka-reader';
import { MongoClient } from 'mongodb';
import { buildUserService } from '../src/app.ts';
import { loadUserConfig } from '../src/config.ts';
import { createPasswordHasher } from '../src/domain/password.ts';
import { createUserRules } from '../src/domain/users.ts';
import { createUserStore } from '../src/store/users.ts';
import { uniqueEmail } from './support.ts';

test('a user written by a process that died before publishing is announced once after restart', async (t) => {
  const env = testEnv({ ADMIN_EMAIL: 'admin@shop.test', ADMIN_PASSWORD: 'admin-password-1', SCRYPT_COST: '1024' });
  const client = await MongoClient.connect(env.MONGO_URI as string);
  t.after(() => client.close());

  // The first "process": the real registration code writes the user and its event, but no
  // relay ever runs, exactly the state a SIGKILL right after the write leaves behind.
  const rules = createUserRules({
    store: createUserStore(client.db(env.MONGO_DB), createAtomically(client)),
    hasher: createPasswordHasher(1024),
    issueToken: () => '',
    eventsQueued: () => {},
  });
  const user = await rules.register({ name: 'Crash', email: uniqueEmail('crash'), password: 'password-123' });
  assert.deepEqual(await readTopic(topics.userCreated, (m) => m.key === user.id, { timeoutMs: 2000 }), []);

  // The restarted service relays what was left.
  const service = await buildUserService(loadUserConfig(env));
  t.after(() => service.close());
  const messages = await readTopic(topics.userCreated, (m) => m.key === user.id);
  assert.equal(messages.length, 1);
  const stored = await client.db(env.MONGO_DB).collection('users').findOne({ email: user.email });
  assert.deepEqual(stored?.outbox, []);
});
