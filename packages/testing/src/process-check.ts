import assert from 'node:assert/strict';
import { instanceOf } from '@shop/platform/http/health';
import { type ServiceProcess, startServiceProcess } from './processes.ts';
import type { Hooks } from './support.ts';

/**
 * What every service's process test checks, around the checks of its own: the real process
 * (`services/<name>/src/server.ts`) starts and is ready with MongoDB and Kafka up; `check` gets it
 * and its OpenAPI paths; then SIGTERM stops it gracefully (exit 0, "shutting down" logged).
 */
export async function checkServiceProcess(
  t: Hooks,
  name: string,
  env: Record<string, string>,
  check: (service: ServiceProcess, paths: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  const service = await startServiceProcess(name, { ...env, LOG_LEVEL: 'info' });
  t.after(() => service.kill());
  const ready = await fetch(`${service.url}/health/ready`);
  assert.deepEqual(await ready.json(), { status: 'ready', instance: instanceOf(service.child.pid as number), checks: { mongo: 'up', topics: 'up' } });
  const dependencies = (await (await fetch(`${service.url}/health/dependencies`)).json()) as { checks: Record<string, string>; stuck: unknown[] };
  assert.equal(dependencies.checks.kafka, 'up');
  assert.deepEqual(dependencies.stuck, []);
  const spec = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  await check(service, spec.paths);
  await service.stop();
  assert.equal(service.child.exitCode, 0);
  assert.match(service.output(), /shutting down/);
}
