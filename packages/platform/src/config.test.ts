import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { brokerList, ConfigError, loadConfig, serviceConfigSchema } from './config.ts';
import { formatVerifyKeys, generateKeyPair } from './keys.ts';

const verifyKeys = formatVerifyKeys([['user-service', generateKeyPair().publicKey]]);
const schema = serviceConfigSchema({ PORT: 8080, MONGO_DB: 'shop_user' }, { ADMIN_EMAIL: Type.String({ default: 'admin@shop.local' }) });

test('defaults and converts the variables of the schema', () => {
  const config = loadConfig(schema, { TOKEN_VERIFY_KEYS: verifyKeys, PORT: '9999' });
  assert.equal(config.PORT, 9999);
  assert.equal(config.MONGO_DB, 'shop_user');
  assert.equal(config.ADMIN_EMAIL, 'admin@shop.local');
  assert.equal(config.HOST, '127.0.0.1', 'a service started by hand listens on this machine only');
  assert.ok(Object.isFrozen(config));
});

test('fails naming every bad variable', () => {
  assert.throws(
    () => loadConfig(schema, { PORT: 'eighty' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT/);
      assert.match(error.message, /TOKEN_VERIFY_KEYS: is required/);
      return true;
    },
  );
});

test('splits a broker list', () => {
  assert.deepEqual(brokerList('a:1, b:2,'), ['a:1', 'b:2']);
});

test('refuses a secret that was published in this repository', () => {
  for (const published of ['admin-password', 'dev-only-secret-change-me-0123456789']) {
    assert.throws(
      () => loadConfig(schema, { TOKEN_VERIFY_KEYS: verifyKeys, ADMIN_EMAIL: published }),
      (error: unknown) => error instanceof ConfigError && /ADMIN_EMAIL: is a published example value/.test(error.message),
    );
  }
});
