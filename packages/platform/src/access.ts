import type { AccessCheck, Principal } from './auth.ts';
import { AppError, unauthorized } from './errors.ts';

/** What user-service says about a user's access now; null: no such user (deleted). */
export interface UserAccessState {
  role: 'customer' | 'admin';
  tokenVersion: number;
}

export interface AccessCheckOptions {
  lookup(userId: string): Promise<UserAccessState | null>;
  /** How long an answer is trusted without asking again: how late a revocation may take effect. */
  freshMs?: number;
  /** While user-service cannot be asked, an answer this old still admits (past it: 503). */
  staleMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Revocable tokens: a user token holds while its user exists with the same role and token
 * version. The answer is cached for a few seconds, so a deleted, demoted or re-passworded user's
 * old tokens stop working within `freshMs`, at one lookup per user and interval, not per request.
 */
export function createAccessCheck(options: AccessCheckOptions): AccessCheck {
  const freshMs = options.freshMs ?? 5_000;
  const staleMs = options.staleMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { state: UserAccessState | null; at: number }>();

  async function stateOf(userId: string): Promise<UserAccessState | null> {
    const cached = cache.get(userId);
    if (cached && now() - cached.at < freshMs) return cached.state;
    try {
      const state = await options.lookup(userId);
      cache.delete(userId);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(userId, { state, at: now() });
      return state;
    } catch (error) {
      if (cached && now() - cached.at < staleMs && error instanceof AppError && error.status === 503) return cached.state;
      throw error;
    }
  }

  return async (principal: Principal) => {
    const state = await stateOf(principal.sub);
    if (!state) throw unauthorized('This account no longer exists');
    if (state.role !== principal.role || state.tokenVersion !== (principal.ver ?? 0)) throw unauthorized('This token was revoked: log in again');
  };
}
