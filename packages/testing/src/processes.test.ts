import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { instanceOf } from '@shop/platform/http/health';
import { testEnv } from './env.ts';
import { freePorts, PortTakenError, startServiceProcess } from './processes.ts';

test('freePorts gives different ports, each free to listen on', async () => {
  const ports = await freePorts(20);
  assert.equal(new Set(ports).size, 20);
  for (const port of ports) {
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    server.close();
  }
});

test("a process that took the service's port first, answering ready itself, is not taken for the service", async (t) => {
  // What another test's service looks like when it got the port between freePort and the spawn.
  const [port] = (await freePorts(1)) as [number];
  const impostor = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ status: 'ready', instance: 'elsewhere:1' }));
  }).listen(port, '127.0.0.1');
  await once(impostor, 'listening');
  t.after(() => impostor.close());

  await assert.rejects(startServiceProcess('product', testEnv(), { port }), PortTakenError);

  const service = await startServiceProcess('product', testEnv());
  t.after(() => service.kill());
  assert.notEqual(service.port, port);
  const ready = (await (await fetch(`${service.url}/health/ready`)).json()) as { instance: string };
  assert.equal(ready.instance, instanceOf(service.child.pid as number));
});
