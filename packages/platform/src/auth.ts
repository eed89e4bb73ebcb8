import { createDecoder, createSigner, createVerifier } from 'fast-jwt';
import { forbidden, unauthorized } from './errors.ts';
import { privateKeyPem, publicKeyPem } from './keys.ts';

export const roles = ['customer', 'admin', 'service'] as const;
export type Role = (typeof roles)[number];

/** The one issuer of user tokens: only user-service holds the key that signs them. */
export const USER_ISSUER = 'user-service';

/** Who is calling: a user (customer or admin) or another service (role `service`, sub = its name). */
export interface Principal {
  sub: string;
  role: Role;
  email?: string;
  /** A user token's version: user-service bumps the user's on a role, password or email change, which revokes older tokens. */
  ver?: number;
}

/** Confirms a verified user token is still good (the user exists, same role, same token version); throws 401 if not. */
export type AccessCheck = (principal: Principal) => Promise<void>;

export interface Auth {
  /** A signed token for `principal`, valid for the configured lifetime (only user-service's are accepted as user tokens). */
  issue(principal: Principal): string;
  /** The principal of a validly signed token; 401 for a missing, forged, expired or misaddressed one. */
  verify(token: string): Principal;
  /** Whether a verified principal still holds (see AccessCheck); services always do. */
  confirm(principal: Principal): Promise<void>;
  /** Sets how `confirm` checks user tokens (the composition root does, once). */
  useAccessCheck(check: AccessCheck): void;
  /** This service's own credential for calls to `audience` (cached, renewed before expiry). */
  serviceToken(audience: string): string;
}

export interface AuthOptions {
  /** This service; the audience a service token must name to be accepted here. */
  serviceName: string;
  ttlSeconds: number;
  /** This service's Ed25519 private key (base64 PKCS#8); without it, it can neither issue tokens nor call others. */
  signingKey?: string;
  /** Issuer (service name) → its Ed25519 public key (base64 SPKI): the services whose tokens this one accepts. */
  verifyKeys: Map<string, string>;
}

/**
 * EdDSA tokens (see docs/security.md): every service signs its own service credentials with its own
 * key, addressed to one audience; user tokens are accepted only when user-service signed them.
 * So no service but user-service can mint a user or an admin, and a leaked key of one service
 * lets an attacker speak only as that service.
 */
export function createAuth(options: AuthOptions): Auth {
  const { serviceName } = options;
  const sign = options.signingKey
    ? createSigner({ key: privateKeyPem(options.signingKey), algorithm: 'EdDSA', iss: serviceName, expiresIn: options.ttlSeconds * 1000 })
    : undefined;
  const verifiers = new Map(
    [...options.verifyKeys].map(([issuer, key]) => [
      issuer,
      createVerifier({ key: publicKeyPem(key), algorithms: ['EdDSA'], allowedIss: issuer, cache: 1000 }),
    ]),
  );
  const decode = createDecoder();
  const serviceTokens = new Map<string, { token: string; renewAt: number }>();
  let accessCheck: AccessCheck = async () => {};

  function signer() {
    if (!sign) throw new Error(`${serviceName} has no TOKEN_SIGNING_KEY, so it cannot sign tokens`);
    return sign;
  }

  function claimsOf(token: string): Record<string, unknown> {
    let issuer: unknown;
    try {
      issuer = (decode(token) as Record<string, unknown>).iss;
    } catch {
      throw unauthorized('Invalid or expired token');
    }
    const verifier = typeof issuer === 'string' ? verifiers.get(issuer) : undefined;
    if (!verifier) throw unauthorized('Invalid or expired token');
    try {
      return verifier(token) as Record<string, unknown>;
    } catch {
      throw unauthorized('Invalid or expired token');
    }
  }

  return {
    issue: (principal) => signer()({ ...principal }),
    verify(token) {
      const { iss, sub, role, email, aud, ver } = claimsOf(token);
      if (typeof sub !== 'string' || !roles.includes(role as Role)) throw unauthorized('Invalid token claims');
      if (role === 'service') {
        // A service speaks only for itself, and only to the service it addressed.
        if (sub !== iss || aud !== serviceName) throw unauthorized('This service credential is not for this service');
        return { sub, role };
      }
      if (iss !== USER_ISSUER) throw unauthorized('User tokens come from user-service only');
      return {
        sub,
        role: role as Role,
        ...(typeof email === 'string' ? { email } : {}),
        ...(typeof ver === 'number' ? { ver } : {}),
      };
    },
    confirm: (principal) => (principal.role === 'service' ? Promise.resolve() : accessCheck(principal)),
    useAccessCheck(check) {
      accessCheck = check;
    },
    serviceToken(audience) {
      const now = Date.now();
      const cached = serviceTokens.get(audience);
      if (cached && now < cached.renewAt) return cached.token;
      const token = signer()({ sub: serviceName, role: 'service', aud: audience });
      serviceTokens.set(audience, { token, renewAt: now + (options.ttlSeconds * 1000) / 2 });
      return token;
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

/**
 * Whether this request's own token has just shown that `userId` exists: a customer acting for
 * themself, with user tokens confirmed by user-service (TOKEN_REVOCATION=checked, an answer at
 * most TOKEN_CHECK_INTERVAL_MS old). Asking user-service again would be a second call for the
 * same answer.
 */
export function userShownByToken(principal: Principal, userId: string, tokensChecked: boolean): boolean {
  return tokensChecked && principal.role === 'customer' && principal.sub === userId;
}

export const isPrivileged = (principal: Principal) => principal.role === 'admin' || principal.role === 'service';
