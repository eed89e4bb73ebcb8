import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '@shop/testing/env';
import { type ServiceProcess, startServiceProcess } from '@shop/testing/processes';
import type { Hooks } from '@shop/testing/support';
import type { System } from '../../../tests/e2e/system.ts';

export { adminToken, call, customer, eventually } from '../../../tests/e2e/client.ts';
export { ADMIN, startSystem } from '../../../tests/e2e/system.ts';

/** A stand-in for the built web app: index.html and one hashed asset. */
export function fakeWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Shop</title><div id="root"></div><script src="/assets/app-1.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log("shop")');
  return dir;
}

/** The gateway as a real process in front of `system`, with its own database; killed after the test. */
export async function startGateway(t: Hooks, system: System, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const upstreams = Object.fromEntries(Object.entries(system.url).map(([name, url]) => [`${name.toUpperCase()}_SERVICE_URL`, url]));
  // 60 s like startSystem's services: with the whole suite running on two cores, joining the live
  // feed's consumer group and the first reads took more than the default 30 s.
  const gateway = await startServiceProcess(
    'gateway',
    { ...testEnv(), LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...upstreams, ...env },
    { timeoutMs: 60_000 },
  );
  t.after(() => gateway.kill());
  return gateway;
}
