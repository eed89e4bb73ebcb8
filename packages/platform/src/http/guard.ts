import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, type Principal, type Role, requireRole } from '../auth.ts';
import { unauthorized } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** A preHandler that admits only a valid bearer token, and only of the given roles (any role when none given). */
export function authenticate(...allowed: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized('Send Authorization: Bearer <token>');
    const principal = request.server.auth.verify(token);
    if (allowed.length > 0) requireRole(principal, ...allowed);
    await request.server.auth.confirm(principal);
    request.principal = principal;
  };
}

/** The caller admitted by `authenticate`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

/** OpenAPI note for routes behind `authenticate`. */
export const bearerSecurity = [{ bearer: [] }];
