import { problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { type TSchema, Type } from 'typebox';
import { type UpstreamName, upstreamNames } from '../config.ts';
import type { SystemReport } from './system.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Count = Type.Number();

const ServiceMetrics = Type.Object({
  consumerLag: Nullable(Type.Array(Type.Object({ group: Type.String(), topic: Type.String(), lag: Count }))),
  consumerLagTotal: Nullable(Count),
  outboxPending: Nullable(Count),
  outboxOldestPendingAgeSeconds: Nullable(Type.Number()),
  deadLetters: Nullable(Type.Array(Type.Object({ topic: Type.String(), count: Count }))),
  httpRequests: Nullable(Count),
  httpP95Seconds: Nullable(Type.Number()),
});

export const SystemReportSchema = Type.Object(
  {
    checkedAt: Type.String({ format: 'date-time' }),
    services: Type.Array(
      Type.Object({
        name: Type.Unsafe<UpstreamName>({ type: 'string', enum: [...upstreamNames] }),
        ready: Type.Boolean(),
        checks: Nullable(Type.Record(Type.String(), Type.String())),
        error: Nullable(Type.String()),
        metrics: ServiceMetrics,
      }),
    ),
    orders: Type.Object({
      byOutcome: Nullable(Type.Record(Type.String(), Count)),
      perMinute: Nullable(Type.Number({ description: 'Orders ended per minute, from the readings this gateway process took in the last 5 minutes' })),
      checkoutDuration: Nullable(
        Type.Object({ count: Count, meanSeconds: Nullable(Type.Number()), p50Seconds: Nullable(Type.Number()), p95Seconds: Nullable(Type.Number()) }),
      ),
    }),
  },
  { description: "Each service's readiness and the metrics the admin console shows; a metric a service does not expose is null" },
);

/** `GET /api/gateway/system` (admin). */
export function registerSystemRoutes(app: HttpApp, read: () => Promise<SystemReport>): void {
  app.get(
    '/api/gateway/system',
    {
      onRequest: authenticate('admin'),
      schema: {
        tags: ['system'],
        summary: "Every service's readiness, consumer lag, outbox backlog, dead letters and order figures",
        security: bearerSecurity,
        response: { 200: SystemReportSchema, ...problemResponses(401, 403) },
      },
    },
    async () => read(),
  );
}
