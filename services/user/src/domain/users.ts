import { type Principal, requireSelfOrPrivileged } from '@shop/platform/auth';
import { AppError, notFound } from '@shop/platform/errors';
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
  /** Applies changes; null when the user is gone; throws CONFLICT when a new email is taken. */
  update(id: string, changes: Partial<UserRecord>): Promise<UserRecord | null>;
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
      createdAt: now,
      updatedAt: now,
    };
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

    /** Creates the admin account once; later starts leave it as it is. */
    async ensureAdmin(email: string, password: string): Promise<boolean> {
      const admin = await newUser({ name: 'Administrator', email, password }, 'admin');
      const created = await store.insertIfAbsent(admin, [{ kind: 'userCreated', user: admin }]);
      if (created) deps.eventsQueued(admin.id);
      return created;
    },

    /** The same 401 for an unknown email and a wrong password, so accounts cannot be probed. */
    async login(email: string, password: string): Promise<{ token: string; user: UserRecord }> {
      const user = await store.findByEmail(emailKey(email));
      const valid = user ? await hasher.verify(password, user.passwordHash) : await hasher.verify(password, await decoy).then(() => false);
      if (!user || !valid) throw new AppError('UNAUTHORIZED', 'Invalid email or password');
      return { token: deps.issueToken({ sub: user.id, role: user.role, email: user.email }), user };
    },

    get: visibleUser,

    list: (limit: number, afterId?: string) => store.list(limit, afterId),

    async update(principal: Principal, id: string, changes: Partial<Registration> & { role?: UserRole }): Promise<UserRecord> {
      await visibleUser(principal, id);
      if (changes.role !== undefined && principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin may change roles');
      const { password, email, name, ...rest } = changes;
      const patch: Partial<UserRecord> = { ...rest, updatedAt: new Date() };
      if (name !== undefined) patch.name = name.trim();
      if (email !== undefined) patch.email = email.trim();
      if (password !== undefined) patch.passwordHash = await hasher.hash(password);
      const updated = await store.update(id, patch);
      if (!updated) throw notFound('User');
      return updated;
    },

    async remove(principal: Principal, id: string): Promise<void> {
      await visibleUser(principal, id);
      if (!(await store.remove(id, [{ kind: 'userDeleted', userId: id }]))) throw notFound('User');
      deps.eventsQueued(id);
    },
  };
}

export type UserRules = ReturnType<typeof createUserRules>;
