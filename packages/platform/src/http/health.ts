import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Stall } from '../kafka/stalls.ts';
import { within } from '../within.ts';

/** Named checks of this service's dependencies; each resolves true when the dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

/** What `/health/dependencies` reports: every dependency, and consumers stuck on one message. */
export interface DependencyChecks {
  checks: ReadinessChecks;
  /** Partitions whose current message has kept failing past the configured time. */
  stalls?: () => Stall[];
}

const CHECK_TIMEOUT_MS = 2000;

function runCheck(check: () => Promise<boolean>): Promise<boolean> {
  return within(
    check().catch(() => false),
    CHECK_TIMEOUT_MS,
    false,
  );
}

async function runChecks(checks: ReadinessChecks): Promise<{ ok: boolean; report: Record<string, string> }> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runCheck(checks[name] as () => Promise<boolean>)));
  return { ok: results.every(Boolean), report: Object.fromEntries(names.map((name, i) => [name, results[i] ? 'up' : 'down'])) };
}

const HealthBody = Type.Object({
  status: Type.String(),
  instance: Type.String({ description: 'Which process answered: host name and process id' }),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/**
 * Which process answers, as `host:pid`. Behind one address (replicas, a load balancer) it says
 * which one did; and whoever started a process can tell its answer from another process's that
 * took the port in its place (the test harness, with the child's pid).
 */
export const instanceOf = (pid: number) => `${hostname()}:${pid}`;
const instanceId = instanceOf(process.pid);

const StuckPartition = Type.Object({
  topic: Type.String(),
  partition: Type.Integer(),
  offset: Type.Integer(),
  since: Type.String({ format: 'date-time', description: 'When this message first failed' }),
  attempts: Type.Integer(),
  lastError: Type.String(),
});
const DependenciesBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  checks: Type.Record(Type.String(), Type.String()),
  stuck: Type.Array(StuckPartition, { description: 'Consumed partitions held up by one message that keeps failing' }),
});

/**
 * Three questions, three routes (docs/health.md):
 * - `/health/live`: the process answers. Never looks at a dependency, so an outage cannot
 *   turn into restarts.
 * - `/health/ready`: it can serve requests: the checks given as `ready` (its own database, and
 *   that its topics exist). Kafka being down only delays events (the outbox keeps them), so it
 *   does not take the service out of a load balancer.
 * - `/health/dependencies`: everything it uses is up and no consumer is stuck; 503 names what
 *   is not. For people and dashboards, not for probes.
 */
export function registerHealthRoutes(app: FastifyInstance, ready: ReadinessChecks, dependencies?: DependencyChecks): void {
  const tags = ['health'];
  app.get('/health/live', { schema: { tags, response: { 200: HealthBody } } }, async () => ({ status: 'ok', instance: instanceId }));
  app.get('/health/ready', { schema: { tags, response: { 200: HealthBody, 503: HealthBody } } }, async (_request, reply) => {
    const { ok, report } = await runChecks(ready);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', instance: instanceId, checks: report });
  });
  app.get('/health/dependencies', { schema: { tags, response: { 200: DependenciesBody, 503: DependenciesBody } } }, async (_request, reply) => {
    const { ok, report } = await runChecks({ ...ready, ...dependencies?.checks });
    const stuck = (dependencies?.stalls?.() ?? []).map((stall) => ({ ...stall, since: new Date(stall.since).toISOString() }));
    const healthy = ok && stuck.length === 0;
    return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', checks: report, stuck });
  });
}
