export type UserRole = 'customer' | 'admin';

/** A user as stored; `passwordHash` never leaves this service. */
export interface UserRecord {
  id: string;
  name: string;
  email: string;
  phone?: string;
  role: UserRole;
  passwordHash: string;
  /** Goes up on a role, password or email change: tokens carrying an older version stop working. */
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What the user rules announce; events/outgoing.ts turns these into contract events. */
export type UserDomainEvent = { kind: 'userCreated'; user: UserRecord } | { kind: 'userDeleted'; userId: string };

/** A user as shown to clients. */
export interface PublicUser {
  id: string;
  name: string;
  email: string;
  phone?: string;
  role: UserRole;
  createdAt: string;
  updatedAt: string;
}

/** Emails are unique regardless of case and surrounding blanks. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    ...(user.phone === undefined ? {} : { phone: user.phone }),
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
