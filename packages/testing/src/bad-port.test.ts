import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { listenOnBadPort } from './bad-port.ts';

test('listenOnBadPort takes a port fetch refuses, and the next one when that is taken', async (t) => {
  const [first, second] = [createServer(), createServer()];
  t.after(() => {
    first.close();
    second.close();
  });
  const [a, b] = [await listenOnBadPort(first), await listenOnBadPort(second)];
  assert.notEqual(a, b);
  for (const port of [a, b]) {
    assert.ok(port >= 6665 && port <= 6669);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'fetch refuses it');
  }
});
