import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { context, trace } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, LogController, type RawServerDefault } from 'fastify';
import type { Auth } from '../auth.ts';
import { DEADLINE_HEADER, deadlineFrom, withDeadline } from '../deadline.ts';
import type { Logger } from '../log.ts';
import { requestContext, spansRecorded, traceHeaders } from '../telemetry/context.ts';
import { type DependencyChecks, type ReadinessChecks, registerHealthRoutes } from './health.ts';
import './guard.ts';
import { createRouteTable } from './allowed-methods.ts';
import { registerMetrics } from './metrics.ts';
import { errorHandler, notFoundHandler, problem, sendProblem } from './problem.ts';
import { createValidatorCompiler } from './validation.ts';

export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpServerOptions {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  auth: Auth;
  bodyLimit: number;
  /** What serving requests needs (`/health/ready`). */
  readiness: ReadinessChecks;
  /** Everything else the service uses, for `/health/dependencies`. */
  dependencies?: DependencyChecks;
  /** The longest a request may take, and so the most time calls made for it get (less if the caller sends less). */
  requestTimeoutMs?: number;
  /** Requests handled at once; above it a fast 503 with Retry-After instead of a growing queue. */
  maxInFlight?: number;
  /** Comma-separated addresses/CIDRs whose X-Forwarded-For is believed (the gateway); none: the socket address is the client. */
  trustedProxies?: string;
}

// Probes and scrapes are always answered: a saturated service is busy, not dead.
const alwaysAnswered = (url: string) => url.startsWith('/health/') || url === '/metrics';

declare module 'fastify' {
  interface FastifyInstance {
    auth: Auth;
  }
}

/**
 * A Fastify app with everything every service needs: strict validation, problem+json errors,
 * request ids, trace context, health, metrics, OpenAPI and rate limiting (opt-in per route).
 * Services add their routes to it, then call `listen`.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // One line per request is written by our onResponse hook, with the status and duration.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Routing errors (malformed URL, over-long parameter) get the same problem+json answer.
    frameworkErrors: (error, request, reply) => errorHandler(error as FastifyError, request, reply),
    forceCloseConnections: 'idle',
    // request.ip (throttling, logs) is the socket's address unless the connection comes from the gateway.
    trustProxy: options.trustedProxies ? options.trustedProxies.split(',').map((part) => part.trim()) : false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidatorCompiler());
  // JSON only: any other body type is a 415, not a string that fails validation later.
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(errorHandler);
  const routeTable = createRouteTable();
  app.addHook('onRoute', (route) => routeTable.add(route.method, route.url));
  app.setNotFoundHandler(notFoundHandler(routeTable.allowed));
  app.decorate('auth', options.auth);
  app.decorateRequest('principal', null);

  // Bounded work: past `maxInFlight` requests a client is told at once to come back, rather than
  // queueing behind everyone else until its own timeout (which only makes the queue longer).
  const maxInFlight = options.maxInFlight ?? 256;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  let inFlight = 0;
  const counted = new WeakSet<object>();
  app.addHook('onRequest', (request, reply, done) => {
    if (alwaysAnswered(request.url)) return done();
    if (inFlight >= maxInFlight) {
      sendProblem(request, reply, problem('DEPENDENCY_UNAVAILABLE', `${options.service} is at capacity; try again shortly`));
      return;
    }
    inFlight++;
    counted.add(request);
    done();
  });
  const release = (request: object) => {
    if (counted.delete(request)) inFlight--;
  };
  app.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    release(request);
    done();
  });

  // Each request runs in its trace and its deadline, so logs, HTTP calls and events carry them on.
  // When spans are recorded, the OpenTelemetry HTTP instrumentation made the request's server span
  // from the incoming `traceparent` (telemetry/sdk.ts), and it is named after the route here.
  // Otherwise there is no instrumentation, and the request gets its trace here, unrecorded.
  // Probes and scrapes are in no trace. The answer names the trace.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const deadline = deadlineFrom(request.headers[DEADLINE_HEADER], requestTimeoutMs);
    const span = trace.getActiveSpan();
    const route = request.routeOptions.url;
    if (span && route) span.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
    const traced = spansRecorded() || alwaysAnswered(request.url) ? context.active() : requestContext(request.headers);
    context.with(traced, () => {
      const { traceparent } = traceHeaders();
      if (traceparent) reply.header('traceparent', traceparent);
      withDeadline(deadline, done);
    });
  });
  app.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.service, version: options.version ?? '1.0.0', description: options.description ?? '' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app, options.readiness, options.dependencies);
  registerMetrics(app, options.service);
  return app;
}
