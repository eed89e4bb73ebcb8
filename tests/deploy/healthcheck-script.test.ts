import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { listenOnBadPort } from '@shop/testing/bad-port';

const run = promisify(execFile);
const script = new URL('../../deploy/docker/healthcheck.mjs', import.meta.url).pathname;

test('the image healthcheck passes on a ready service even on a port fetch refuses (inventory: 6000), and fails otherwise', async (t) => {
  let ready = true;
  const server = createServer((_req, res) => {
    res.writeHead(ready ? 200 : 503).end('{}');
  });
  const port = await listenOnBadPort(server);
  t.after(() => server.close());
  await run(process.execPath, [script, `http://127.0.0.1:${port}/health/ready`]);
  ready = false;
  await assert.rejects(run(process.execPath, [script, `http://127.0.0.1:${port}/health/ready`]), (e: { code?: number }) => e.code === 1);
});
