import { createSigner, createVerifier } from 'fast-jwt';
import { forbidden, unauthorized } from './errors.ts';

export const roles = ['customer', 'admin', 'service'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: a user (customer or admin) or another service (role `service`, sub = its name). */
export interface Principal {
  sub: string;
  role: Role;
  email?: string;
}

export interface Auth {
  /** A signed token for `principal`, valid for the configured lifetime. */
  issue(principal: Principal): string;
  /** The principal of a valid token; 401 for a missing, forged or expired one. */
  verify(token: string): Principal;
  /** This service's own credential for calls to other services (cached, renewed before expiry). */
  serviceToken(): string;
}

/** HS256 tokens shared by all services through JWT_SECRET. */
export function createAuth(options: { secret: string; ttlSeconds: number; serviceName: string }): Auth {
  const sign = createSigner({ key: options.secret, algorithm: 'HS256', expiresIn: options.ttlSeconds * 1000 });
  const verifier = createVerifier({ key: options.secret, algorithms: ['HS256'], cache: 1000 });
  let cached: { token: string; renewAt: number } | undefined;

  return {
    issue: (principal) => sign({ ...principal }),
    verify(token) {
      let payload: Record<string, unknown>;
      try {
        payload = verifier(token) as Record<string, unknown>;
      } catch {
        throw unauthorized('Invalid or expired token');
      }
      const { sub, role, email } = payload;
      if (typeof sub !== 'string' || !roles.includes(role as Role)) throw unauthorized('Invalid token claims');
      return typeof email === 'string' ? { sub, role: role as Role, email } : { sub, role: role as Role };
    },
    serviceToken() {
      const now = Date.now();
      if (!cached || now >= cached.renewAt) {
        cached = { token: sign({ sub: options.serviceName, role: 'service' }), renewAt: now + (options.ttlSeconds * 1000) / 2 };
      }
      return cached.token;
    },
  };
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** 403 unless the principal has one of `allowed`. */
export function requireRole(principal: Principal, ...allowed: Role[]): void {
  if (!allowed.includes(principal.role)) throw forbidden(`This action needs role ${allowed.join(' or ')}`);
}

/** A customer may touch only their own data; admins and services may touch anyone's. */
export function requireSelfOrPrivileged(principal: Principal, userId: string): void {
  if (principal.role === 'customer' && principal.sub !== userId) throw forbidden();
}

export const isPrivileged = (principal: Principal) => principal.role === 'admin' || principal.role === 'service';
