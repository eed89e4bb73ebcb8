import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@shop/testing/processes';
import { startUserService, uniqueEmail } from './support.ts';

const mongoScript = resolve(dirname(fileURLToPath(import.meta.url)), '../../../infra/bin/mongo');
const run = promisify(execFile);

test('while MongoDB is down the service says 503 (not 500) and is not ready; afterwards it works again', async (t) => {
  // A MongoDB-wire server of this test's own, so stopping it disturbs no one else.
  const env: NodeJS.ProcessEnv = { ...process.env, INFRA_DATA_DIR: await mkdtemp(join(tmpdir(), 'outage-')), MONGO_PORT: String(await freePort()) };
  delete env.MONGO_URI;
  const mongo = (action: string) => run(mongoScript, [action], { env });
  await mongo('start');
  t.after(async () => {
    await mongo('stop');
    await rm(env.INFRA_DATA_DIR as string, { recursive: true, force: true });
  });
  const service = await startUserService(t, { MONGO_URI: `mongodb://127.0.0.1:${env.MONGO_PORT}` });
  const register = () =>
    service.http.inject({ method: 'POST', url: '/register', payload: { name: 'O', email: uniqueEmail('outage'), password: 'password-123' } });

  await mongo('stop');
  const down = await register();
  assert.equal(down.statusCode, 503, down.body);
  assert.equal(down.json().code, 'DEPENDENCY_UNAVAILABLE');
  assert.doesNotMatch(down.body, /Mongo|ECONNREFUSED|127\.0\.0\.1/);
  assert.equal((await service.http.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503);

  await mongo('start');
  let up = await register();
  for (let i = 0; up.statusCode !== 201 && i < 50; i++) up = await register();
  assert.equal(up.statusCode, 201, up.body);
  assert.equal((await service.http.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
});
