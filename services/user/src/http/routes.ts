import { IdParams, problemResponses, UserAccess } from '@shop/contracts';
import { notFound } from '@shop/platform/errors';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import type { Platform } from '@shop/platform/service';
import { Type } from 'typebox';
import { toPublicUser } from '../domain/user.ts';
import type { UserRules } from '../domain/users.ts';
import { ListQuery, LoginBody, LoginResult, RegisterBody, UpdateBody, User, UserPage } from './schemas.ts';

const tags = ['users'];

/** The user-service HTTP API; handlers translate HTTP to the user rules and back. */
export function registerUserRoutes(
  app: HttpApp,
  rules: UserRules,
  options: { accountRateLimit: number; clientRateLimit: number; throttle: Platform['throttle'] },
): void {
  // Password guessing and mass registration are slowed per account and per client address; login
  // and register share both budgets, counted in the database so every replica counts the same.
  const emailOf = (request: { body?: unknown }) =>
    String((request.body as { email?: unknown } | undefined)?.email ?? '')
      .trim()
      .toLowerCase();
  const throttled = options.throttle([
    { name: 'account', max: options.accountRateLimit, windowMs: 60_000, key: emailOf },
    { name: 'client', max: options.clientRateLimit, windowMs: 60_000, key: (request) => request.ip },
  ]);

  app.post(
    '/register',
    { preHandler: throttled, schema: { tags, body: RegisterBody, response: { 201: User, ...problemResponses(400, 409, 413, 415, 429) } } },
    async (request, reply) => reply.status(201).send(toPublicUser(await rules.register(request.body))),
  );

  app.post(
    '/login',
    { preHandler: throttled, schema: { tags, body: LoginBody, response: { 200: LoginResult, ...problemResponses(400, 401, 429) } } },
    async (request) => {
      const { token, user } = await rules.login(request.body.email, request.body.password);
      return { token, user: toPublicUser(user) };
    },
  );

  app.get(
    '/users',
    {
      onRequest: authenticate('admin'),
      schema: { tags, security: bearerSecurity, querystring: ListQuery, response: { 200: UserPage, ...problemResponses(400, 401, 403) } },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const users = await rules.list(limit, request.query.cursor);
      const last = users.at(-1);
      return { items: users.map(toPublicUser), nextCursor: users.length === limit && last ? last.id : null };
    },
  );

  app.get(
    '/users/:id',
    {
      onRequest: authenticate(),
      schema: { tags, security: bearerSecurity, params: IdParams, response: { 200: User, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => toPublicUser(await rules.get(principalOf(request), request.params.id)),
  );

  app.get(
    '/users/:id/access',
    {
      onRequest: authenticate('service'),
      schema: {
        tags,
        summary: "Whether a user's tokens still hold (role and token version); for other services",
        security: bearerSecurity,
        params: IdParams,
        response: { 200: UserAccess, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const access = await rules.access(request.params.id);
      if (!access) throw notFound('User');
      return { userId: request.params.id, ...access };
    },
  );

  app.patch(
    '/users/:id',
    {
      onRequest: authenticate('customer', 'admin'),
      schema: { tags, security: bearerSecurity, params: IdParams, body: UpdateBody, response: { 200: User, ...problemResponses(400, 401, 403, 404, 409) } },
    },
    async (request) => toPublicUser(await rules.update(principalOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/users/:id',
    {
      onRequest: authenticate('customer', 'admin'),
      schema: { tags, security: bearerSecurity, params: IdParams, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await rules.remove(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
