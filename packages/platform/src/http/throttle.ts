import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { RateCounter } from '../mongo/rate-counter.ts';

export interface Limit {
  /** Names the budget; requests whose keys are equal share it, across routes and replicas. */
  name: string;
  max: number;
  windowMs: number;
  key(request: FastifyRequest): string;
}

/**
 * A preHandler (so the body is parsed) that answers 429 with Retry-After once any of `limits` is
 * spent. Several budgets per route (per account and per client address), which @fastify/rate-limit
 * cannot do: it runs only the first of several limit hooks of a request.
 */
export function throttle(count: RateCounter, limits: Limit[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    for (const limit of limits) {
      const { current, resetInMs } = await count(`${limit.name}:${limit.key(request)}`, limit.windowMs);
      if (current > limit.max) {
        reply.header('retry-after', String(Math.max(1, Math.ceil(resetInMs / 1000))));
        throw new AppError('TOO_MANY_REQUESTS', `Too many attempts; try again in ${Math.ceil(resetInMs / 1000)} s`, { limit: limit.name });
      }
    }
  };
}
