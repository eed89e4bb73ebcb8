import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = new URL('../../deploy/docker/healthcheck.mjs', import.meta.url).pathname;

test('the image healthcheck passes on a ready service even on a port fetch refuses (inventory: 6000), and fails otherwise', async (t) => {
  let ready = true;
  const server = createServer((_req, res) => {
    res.writeHead(ready ? 200 : 503).end('{}');
  });
  let port: number | undefined;
  for (const candidate of [6665, 6666, 6667, 6668, 6669]) {
    server.listen(candidate, '127.0.0.1');
    if (await Promise.race([once(server, 'listening').then(() => true), once(server, 'error').then(() => false)])) {
      port = candidate;
      break;
    }
  }
  assert.ok(port, 'no free port among 6665-6669');
  t.after(() => server.close());
  await run(process.execPath, [script, `http://127.0.0.1:${port}/health/ready`]);
  ready = false;
  await assert.rejects(run(process.execPath, [script, `http://127.0.0.1:${port}/health/ready`]), (e: { code?: number }) => e.code === 1);
});
