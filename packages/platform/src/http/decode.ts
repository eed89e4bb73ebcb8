import type { Static, TSchema } from 'typebox';
import { AppError } from '../errors.ts';
import { matches, mismatches } from '../schema-check.ts';

/**
 * Reads another service's answer with the contract's schema. A body that does not match is that
 * service's fault (or a contract drift), never the client's: 503 naming the first mismatch.
 */
export function decodeBody<S extends TSchema>(schema: S, body: unknown, from: string): Static<S> {
  if (matches(schema, body)) return body as Static<S>;
  const [first] = mismatches(schema, body, 1);
  throw new AppError('DEPENDENCY_UNAVAILABLE', `${from} answered a body the contract does not allow`, {
    detail: first ? `${first.instancePath || '/'} ${first.message}` : 'invalid',
  });
}

/** An answer the contract does not foresee (a 401, a 409 nobody expects): the dependency's problem, or ours, never the client's. */
export function unexpectedAnswer(from: string, status: number, body?: unknown): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', `${from} answered ${status}`, { detail: (body as { detail?: unknown } | undefined)?.detail });
}
