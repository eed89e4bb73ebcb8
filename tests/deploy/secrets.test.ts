import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseVerifyKeys, publicKeyOf } from '@shop/platform/keys';
import { ROOT, runOk } from './support.ts';

const generate = () =>
  Object.fromEntries(
    runOk(join(ROOT, 'scripts/secrets.sh'), [])
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

test('scripts/secrets.sh makes fresh secrets: a signing key per service whose public key is in TOKEN_VERIFY_KEYS, and an admin password', () => {
  const first = generate();
  const second = generate();
  const verify = parseVerifyKeys(first.TOKEN_VERIFY_KEYS ?? '');
  for (const name of ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification', 'gateway']) {
    const key = first[`${name.toUpperCase()}_TOKEN_SIGNING_KEY`];
    assert.ok(key, `${name} has a signing key`);
    assert.equal(verify.get(`${name}-service`), publicKeyOf(key), `${name}-service's public key matches its private key`);
    assert.notEqual(key, second[`${name.toUpperCase()}_TOKEN_SIGNING_KEY`], 'every run makes new keys');
  }
  assert.ok((first.ADMIN_PASSWORD ?? '').length >= 20);
  assert.notEqual(first.ADMIN_PASSWORD, second.ADMIN_PASSWORD);
});
