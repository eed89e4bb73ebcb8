import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, LogController, type RawServerDefault } from 'fastify';
import type { Auth } from '../auth.ts';
import type { Logger } from '../log.ts';
import { childContext, formatTraceparent, parseTraceparent, withTrace } from '../trace.ts';
import { type ReadinessChecks, registerHealthRoutes } from './health.ts';
import './guard.ts';
import { registerMetrics } from './metrics.ts';
import { errorHandler, notFoundHandler } from './problem.ts';
import { createValidatorCompiler } from './validation.ts';

export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpServerOptions {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  auth: Auth;
  bodyLimit: number;
  readiness: ReadinessChecks;
}

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
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidatorCompiler());
  // JSON only: any other body type is a 415, not a string that fails validation later.
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorate('auth', options.auth);
  app.decorateRequest('principal', null);

  // Run each request inside its W3C trace context so logs, HTTP calls and events carry it on.
  app.addHook('onRequest', (request, reply, done) => {
    const header = request.headers.traceparent;
    const context = childContext(parseTraceparent(typeof header === 'string' ? header : undefined));
    reply.header('x-request-id', request.id);
    reply.header('traceparent', formatTraceparent(context));
    withTrace(context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });

  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.service, version: options.version ?? '1.0.0', description: options.description ?? '' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app, options.readiness);
  registerMetrics(app, options.service);
  return app;
}
