import replyFrom from '@fastify/reply-from';
import { DEADLINE_HEADER, remainingMs } from '@shop/platform/deadline';
import { problem, sendProblem } from '@shop/platform/http/problem';
import type { HttpApp } from '@shop/platform/http/server';
import { traceHeaders } from '@shop/platform/telemetry/context';
import { type UpstreamName, upstreamNames } from '../config.ts';

const isUpstream = (name: string): name is UpstreamName => (upstreamNames as readonly string[]).includes(name);

/**
 * `/api/<service>/<path>` → `<service>'s base URL>/<path>`, query string included, for the seven
 * services only. The body is passed on as it came (each service validates its own), and so is the
 * Authorization header: the services decide who may do what, the gateway adds no privilege. The
 * call carries the request id, the request's trace context (W3C headers) and what is left of its
 * deadline, as calls between services do.
 */
export async function registerProxy(app: HttpApp, upstreams: Record<UpstreamName, string>, options: { timeoutMs: number }): Promise<void> {
  // A scope of its own: no JSON parsing here, the raw body stream goes through.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(replyFrom, {
      disableRequestLogging: true,
      undici: { connections: 128, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
    });

    scope.all('/api/:service/*', { schema: { hide: true } }, (request, reply) => {
      const { service } = request.params as { service: string };
      const path = request.url.split('?')[0] ?? '';
      if (!isUpstream(service)) {
        const detail =
          service === 'gateway' ? `No route ${request.method} ${path}` : `No service '${service}' behind /api/; known: ${upstreamNames.join(', ')}`;
        return sendProblem(request, reply, problem('NOT_FOUND', detail));
      }
      const rest = path.slice(`/api/${service}`.length);
      return reply.from(`${upstreams[service].replace(/\/$/, '')}${rest}`, {
        // No retries here: the browser (or the service's own 503 + Retry-After) decides.
        retryDelay: () => null,
        rewriteRequestHeaders: (_request, headers) => ({
          ...headers,
          'x-request-id': request.id,
          ...traceHeaders(),
          [DEADLINE_HEADER]: String(Math.max(1, Math.floor(Math.min(remainingMs(), options.timeoutMs)))),
          'x-forwarded-for': request.ip,
          'x-forwarded-proto': request.protocol,
          'x-forwarded-host': request.host,
        }),
        onError: (_reply, { error }) => {
          request.log.warn({ err: error, service }, 'proxied call failed');
          const status = (error as { statusCode?: number }).statusCode;
          const why = status === 504 ? 'did not answer in time' : 'is unavailable';
          sendProblem(request, reply, problem('DEPENDENCY_UNAVAILABLE', `${service}-service ${why}; try again shortly`));
        },
      });
    });
  });
}
