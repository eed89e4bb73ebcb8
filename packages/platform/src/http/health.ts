import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

/** Named checks of this service's dependencies; each resolves true when the dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: () => Promise<boolean>): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, CHECK_TIMEOUT_MS, false).unref());
  return Promise.race([check().catch(() => false), timeout]);
}

const HealthBody = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) });

/** `/health/live` says the process runs; `/health/ready` says it can serve (its MongoDB and Kafka answer). */
export function registerHealthRoutes(app: FastifyInstance, checks: ReadinessChecks): void {
  const tags = ['health'];
  app.get('/health/live', { schema: { tags, response: { 200: HealthBody } } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: { tags, response: { 200: HealthBody, 503: HealthBody } } }, async (_request, reply) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => runCheck(checks[name] as () => Promise<boolean>)));
    const report = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'up' : 'down']));
    const ready = results.every(Boolean);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: report });
  });
}
