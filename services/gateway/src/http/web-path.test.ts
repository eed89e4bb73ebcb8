import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webTarget } from './web-path.ts';

const files = new Set(['index.html', 'assets/app-1234.js', 'favicon.svg']);
const isFile = (path: string) => files.has(path);

test('existing files are served as files', () => {
  assert.deepEqual(webTarget('/assets/app-1234.js', isFile), { kind: 'file', path: 'assets/app-1234.js' });
  assert.deepEqual(webTarget('/favicon.svg', isFile), { kind: 'file', path: 'favicon.svg' });
});

test("the app's own routes get the app (index.html)", () => {
  for (const path of ['/', '/products/abc', '/admin/orders', '/orders/0123456789abcdef01234567', '/cart/']) {
    assert.deepEqual(webTarget(path, isFile), { kind: 'app' }, path);
  }
});

test('a missing file is missing, not the app', () => {
  assert.deepEqual(webTarget('/assets/old-9999.js', isFile), { kind: 'missing' });
  assert.deepEqual(webTarget('/robots.txt', isFile), { kind: 'missing' });
  assert.deepEqual(webTarget('/%E0%A4%A', isFile), { kind: 'missing' });
});

test('.. never leaves the directory', () => {
  const asked: string[] = [];
  webTarget('/../../etc/passwd', (path) => {
    asked.push(path);
    return false;
  });
  webTarget('/assets/%2e%2e/%2e%2e/etc/passwd', (path) => {
    asked.push(path);
    return false;
  });
  assert.deepEqual(asked, ['etc/passwd', 'etc/passwd']);
});
