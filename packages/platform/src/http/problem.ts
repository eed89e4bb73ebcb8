import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, errorCodes, isDependencyOutage } from '../errors.ts';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  [extra: string]: unknown;
}

const problemType = (code: ErrorCode) => `https://shop.example/problems/${code.toLowerCase().replaceAll('_', '-')}`;

export function problem(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  const { status, title } = errorCodes[code];
  // Details come first so they can never override the standard members (a `status` detail once did).
  return { ...extra, type: problemType(code), title, status, detail, code };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Names the offending field of a schema violation, e.g. `body.items[0].quantity`. */
function describeValidation(context: string, errors: AjvError[]): { detail: string; errors: { field: string; message: string }[] } {
  const list = errors.map((error) => {
    const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const extra = error.params.additionalProperty ?? error.params.missingProperty;
    const field = [context, path, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.');
    const message = error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? 'is invalid');
    return { field, message };
  });
  return { detail: list.map((e) => `${e.field} ${e.message}`).join('; '), errors: list };
}

/** Maps Fastify's own client errors (bad JSON, too large, wrong content type) onto our codes. */
function fastifyClientError(error: FastifyError): Problem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('BAD_REQUEST', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return problem('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  if (error instanceof SyntaxError) return problem('BAD_REQUEST', 'The request body is not valid JSON');
  if (error.statusCode === 429) return problem('TOO_MANY_REQUESTS', 'Too many requests, slow down');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { ...problem('BAD_REQUEST', error.message), status: error.statusCode };
  }
  return undefined;
}

/** The one error handler: client mistakes become 4xx with the field named; internals never leak. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let body: Problem;
  if (error instanceof AppError) {
    body = problem(error.code, error.message, error.details ?? {});
    if (error.status >= 500) request.log.warn({ err: error }, 'request failed');
  } else if (isDependencyOutage(error)) {
    request.log.warn({ err: error }, 'dependency unavailable');
    body = problem('DEPENDENCY_UNAVAILABLE', 'A dependency of this service is unavailable; try again shortly');
  } else if (error.validation) {
    const described = describeValidation(error.validationContext ?? 'request', error.validation as AjvError[]);
    body = problem('VALIDATION_FAILED', described.detail, { errors: described.errors });
  } else {
    const client = fastifyClientError(error);
    if (client) {
      body = client;
    } else {
      request.log.error({ err: error }, 'unhandled error');
      body = problem('INTERNAL', 'Something went wrong on our side');
    }
  }
  return sendProblem(request, reply, body);
}

/** Answers with a problem document about this request; a 429 or 503 says when to try again. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem) {
  body.instance = request.url;
  body.requestId = request.id;
  if ((body.status === 429 || body.status === 503) && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** 404 for a path no route knows; 405 with `Allow` for a known path asked with another method. */
export function notFoundHandler(allowed: (path: string) => string[]) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const methods = allowed(path);
    if (methods.length > 0) {
      reply.header('allow', methods.join(', '));
      return sendProblem(request, reply, problem('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${methods.join(', ')}`));
    }
    return sendProblem(request, reply, problem('NOT_FOUND', `No route ${request.method} ${path}`));
  };
}
