import type { UserAccessState } from '@shop/platform/access';
import { type Principal, requireSelfOrPrivileged } from '@shop/platform/auth';
import { AppError, badRequest, conflict, forbidden, notFound } from '@shop/platform/errors';
import type { PasswordHasher } from './password.ts';
import { emailKey, type UserDomainEvent, type UserRecord, type UserRole } from './user.ts';

/** What the user rules need from storage; the MongoDB store and the unit tests' fake both provide it. */
export interface UserStore {
  newId(): string;
  /** Inserts; throws CONFLICT when the email is taken. */
  insert(user: UserRecord, events: UserDomainEvent[]): Promise<void>;
  /** Inserts unless a user with that email exists; true when inserted. */
  insertIfAbsent(user: UserRecord, events: UserDomainEvent[]): Promise<boolean>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  list(limit: number, afterId?: string): Promise<UserRecord[]>;
  /** Applies changes (and bumps the token version when `revokeTokens`); null when the user is gone; throws CONFLICT when a new email is taken. */
  update(id: string, changes: Partial<UserRecord>, options?: { revokeTokens?: boolean }): Promise<UserRecord | null>;
  /** How many admins exist (the last one may not go). */
  countAdmins(): Promise<number>;
  /** Removes the user and records the events in the same write; false when already gone. */
  remove(id: string, events: UserDomainEvent[]): Promise<boolean>;
}

export interface UserDeps {
  store: UserStore;
  hasher: PasswordHasher;
  issueToken(principal: Principal): string;
  /** Called after a write that queued events in this user's document, so they go out at once. */
  eventsQueued(id: string): void;
}

export interface Registration {
  name: string;
  email: string;
  password: string;
  phone?: string;
}

export interface UserChanges extends Partial<Registration> {
  role?: UserRole;
  /** Needed when users change their own email or password, so a stolen token cannot take the account over. */
  currentPassword?: string;
}

/** The user rules: registration, login, reading, changing and deleting accounts. */
export function createUserRules(deps: UserDeps) {
  const { store, hasher } = deps;
  // Verifying against a throw-away hash keeps an unknown email as slow as a wrong password.
  const decoy = hasher.hash('decoy-password-never-valid');

  async function newUser(input: Registration, role: UserRole): Promise<UserRecord> {
    const now = new Date();
    return {
      id: store.newId(),
      name: input.name.trim(),
      email: input.email.trim(),
      ...(input.phone === undefined ? {} : { phone: input.phone }),
      role,
      passwordHash: await hasher.hash(input.password),
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
  }

  async function requireCurrentPassword(user: UserRecord, currentPassword: string | undefined): Promise<void> {
    if (currentPassword === undefined) throw badRequest('Changing your email or password needs currentPassword', { field: 'currentPassword' });
    if (!(await hasher.verify(currentPassword, user.passwordHash))) throw forbidden('currentPassword is not your password');
  }

  async function keepAnAdmin(): Promise<void> {
    if ((await store.countAdmins()) <= 1) throw conflict('The last admin cannot be demoted or deleted');
  }

  async function visibleUser(principal: Principal, id: string): Promise<UserRecord> {
    requireSelfOrPrivileged(principal, id);
    const user = await store.findById(id);
    if (!user) throw notFound('User');
    return user;
  }

  return {
    async register(input: Registration): Promise<UserRecord> {
      const user = await newUser(input, 'customer');
      await store.insert(user, [{ kind: 'userCreated', user }]);
      deps.eventsQueued(user.id);
      return user;
    },

    /**
     * The admin account follows ADMIN_EMAIL / ADMIN_PASSWORD at every start: created when missing;
     * given the configured password (and the admin role) when it differs, which revokes its tokens.
     */
    async ensureAdmin(email: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
      const admin = await newUser({ name: 'Administrator', email, password }, 'admin');
      if (await store.insertIfAbsent(admin, [{ kind: 'userCreated', user: admin }])) {
        deps.eventsQueued(admin.id);
        return 'created';
      }
      const current = await store.findByEmail(emailKey(email));
      if (!current) return 'unchanged'; // deleted meanwhile; the next start creates it again
      if (current.role === 'admin' && (await hasher.verify(password, current.passwordHash))) return 'unchanged';
      await store.update(current.id, { role: 'admin', passwordHash: admin.passwordHash, updatedAt: new Date() }, { revokeTokens: true });
      return 'updated';
    },

    /** The same 401 for an unknown email and a wrong password, so accounts cannot be probed. */
    async login(email: string, password: string): Promise<{ token: string; user: UserRecord }> {
      const user = await store.findByEmail(emailKey(email));
      const valid = user ? await hasher.verify(password, user.passwordHash) : await hasher.verify(password, await decoy).then(() => false);
      if (!user || !valid) throw new AppError('UNAUTHORIZED', 'Invalid email or password');
      return { token: deps.issueToken({ sub: user.id, role: user.role, email: user.email, ver: user.tokenVersion }), user };
    },

    get: visibleUser,

    list: (limit: number, afterId?: string) => store.list(limit, afterId),

    async update(principal: Principal, id: string, changes: UserChanges): Promise<UserRecord> {
      const user = await visibleUser(principal, id);
      if (changes.role !== undefined && principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin may change roles');
      const { password, email, name, currentPassword, ...rest } = changes;
      const changesCredentials = password !== undefined || (email !== undefined && emailKey(email) !== emailKey(user.email));
      if (changesCredentials && principal.sub === id) await requireCurrentPassword(user, currentPassword);
      if (user.role === 'admin' && changes.role === 'customer') await keepAnAdmin();
      const patch: Partial<UserRecord> = { ...rest, updatedAt: new Date() };
      if (name !== undefined) patch.name = name.trim();
      if (email !== undefined) patch.email = email.trim();
      if (password !== undefined) patch.passwordHash = await hasher.hash(password);
      const revokeTokens = changesCredentials || (changes.role !== undefined && changes.role !== user.role);
      const updated = await store.update(id, patch, { revokeTokens });
      if (!updated) throw notFound('User');
      return updated;
    },

    async remove(principal: Principal, id: string): Promise<void> {
      const user = await visibleUser(principal, id);
      if (user.role === 'admin') await keepAnAdmin();
      if (!(await store.remove(id, [{ kind: 'userDeleted', userId: id }]))) throw notFound('User');
      deps.eventsQueued(id);
    },

    /** What other services check a user token against (see @shop/platform/access). */
    async access(id: string): Promise<UserAccessState | null> {
      const user = await store.findById(id);
      return user && { role: user.role, tokenVersion: user.tokenVersion };
    },
  };
}

export type UserRules = ReturnType<typeof createUserRules>;
