import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { brokerList, ConfigError, loadConfig, serviceConfigSchema } from './config.ts';

const schema = serviceConfigSchema({ PORT: 8080, MONGO_DB: 'shop_user' }, { ADMIN_EMAIL: Type.String({ default: 'admin@shop.local' }) });

test('defaults and converts the variables of the schema', () => {
  const config = loadConfig(schema, { JWT_SECRET: 'a-secret-of-16-chars', PORT: '9999' });
  assert.equal(config.PORT, 9999);
  assert.equal(config.MONGO_DB, 'shop_user');
  assert.equal(config.ADMIN_EMAIL, 'admin@shop.local');
  assert.ok(Object.isFrozen(config));
});

test('fails naming every bad variable', () => {
  assert.throws(
    () => loadConfig(schema, { PORT: 'eighty' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT/);
      assert.match(error.message, /JWT_SECRET: is required/);
      return true;
    },
  );
});

test('splits a broker list', () => {
  assert.deepEqual(brokerList('a:1, b:2,'), ['a:1', 'b:2']);
});
