import { isPrivileged, type Principal } from '@shop/platform/auth';
import { forbidden } from '@shop/platform/errors';
import { nextAttemptAt, type RetryPolicy } from './backoff.ts';
import type { NotificationDraft, NotificationRecord, Recipient } from './notification.ts';

/** A notification taken for one attempt; only its holder may record the outcome. */
export interface Claim {
  notification: NotificationRecord;
  claimId: string;
}

/** What the rules need from storage; the MongoDB store and the unit tests' fake both provide it. */
export interface NotificationStore {
  newId(): string;
  /**
   * Stores it already claimed for its first attempt (until `leaseUntil`, the attempt counted),
   * unless a notification for the same event exists: then that one's id, and no claim.
   */
  insertClaimed(record: NotificationRecord, leaseUntil: Date): Promise<{ id: string; claim: Claim | null }>;
  /** Takes it for one attempt if it is not SENT and is due, until `leaseUntil`; counts the attempt. Null otherwise. */
  claim(id: string, now: Date, leaseUntil: Date): Promise<Claim | null>;
  /** Gives back a claim whose attempt was not made: due again at `now`, the attempt uncounted. Holder only. */
  release(claim: Claim, now: Date): Promise<void>;
  markSent(claim: Claim, to: string, at: Date): Promise<void>;
  /** `retryAt` null: attempts used up, it stays FAILED. */
  markFailed(claim: Claim, error: string, retryAt: Date | null, to: string | undefined): Promise<void>;
  /** Ids of notifications due for an attempt, oldest due first. */
  due(now: Date, limit: number): Promise<string[]>;
  /** Newest first, before the `before` id when given. */
  list(filter: { userId?: string }, limit: number, before?: string): Promise<NotificationRecord[]>;
}

/** Email addresses learned from user-created; `forgotten` once the user was deleted. */
export interface RecipientBook {
  remember(userId: string, recipient: Recipient): Promise<void>;
  forget(userId: string): Promise<void>;
  find(userId: string): Promise<Recipient | 'forgotten' | null>;
}

/** user-service, asked when user-created has not arrived (yet). Null: no such user. Throws when unreachable. */
export interface UserDirectory {
  find(userId: string): Promise<Recipient | null>;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the mail. `id` makes the Message-ID, the same on every attempt. */
  send(mail: { id: string; to: string; subject: string; text: string }): Promise<void>;
}

export interface NotificationDeps {
  store: NotificationStore;
  recipients: RecipientBook;
  users: UserDirectory;
  mailer: Mailer;
  policy: RetryPolicy & { leaseMs: number };
  /** How the first attempt of a stored notification is made; right away when not given. */
  dispatch?: Dispatch;
  now?: () => Date;
}

export type Outcome = 'sent' | 'failed' | 'skipped';

/**
 * Hands a stored notification's first attempt to whoever makes it: `attempt` now, and its
 * outcome; or later (`queued`) by a sender outside the consume loop; or to the retry sweeper
 * (`deferred`). Either way the notification is stored and due, so nothing is lost.
 */
export type Dispatch = (id: string, attempt: (id: string) => Promise<Outcome>) => Promise<Outcome | 'queued' | 'deferred'>;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** The notification rules: one notification per event, sent by mail at most once it is SENT, retried with backoff while it fails. */
export function createNotificationRules(deps: NotificationDeps) {
  const { store, recipients, users, mailer, policy } = deps;
  const now = deps.now ?? (() => new Date());
  const dispatch: Dispatch = deps.dispatch ?? ((id, attempt) => attempt(id));

  /** The user's address: from user-created if we saw it, else from user-service (and kept). */
  async function resolve(userId: string): Promise<{ email?: string; problem?: string }> {
    const known = await recipients.find(userId);
    if (known === 'forgotten') return { problem: `user ${userId} was deleted; no address kept` };
    if (known) return { email: known.email };
    try {
      const found = await users.find(userId);
      if (!found) return { problem: `user ${userId} is not known to user-service` };
      await recipients.remember(userId, { email: found.email, name: found.name });
      return { email: found.email };
    } catch (error) {
      return { problem: `no address known for user ${userId}: ${describe(error)}` };
    }
  }

  const leaseFrom = (at: Date) => new Date(at.getTime() + policy.leaseMs);

  /** One attempt, if the notification is due and nobody else holds it. Never sends what is SENT. */
  async function deliver(id: string): Promise<Outcome> {
    const started = now();
    const claim = await store.claim(id, started, leaseFrom(started));
    return claim ? attempt(claim) : 'skipped';
  }

  /** The attempt a claim was taken for: send, then record how it went (only the holder can). */
  async function attempt(claim: Claim): Promise<Outcome> {
    const { notification } = claim;
    let to = notification.to;
    try {
      if (!to) {
        const found = await resolve(notification.userId);
        if (!found.email) throw new Error(found.problem);
        to = found.email;
      }
      await mailer.send({ id: notification.id, to, subject: notification.subject, text: notification.message });
    } catch (error) {
      await store.markFailed(claim, describe(error), nextAttemptAt(notification.attempts, policy, now()), to);
      return 'failed';
    }
    // Outside the try: if only this write fails, the lease runs out and the sweeper sends again
    // (at-least-once; the same Message-ID lets a mailbox spot it). Marking FAILED would not be truer.
    await store.markSent(claim, to, now());
    return 'sent';
  }

  /**
   * Stores the event's notification (once) and makes the first attempt. It is stored already
   * claimed for that attempt, which saves a claim per mail; an attempt not made after all gives
   * the claim back, so the sweeper need not wait out the lease. A notification stored before (a
   * redelivered event) is attempted only if it is due, like a retry.
   */
  async function notify(draft: NotificationDraft, to?: string): Promise<{ id: string; outcome: Outcome | 'queued' | 'deferred' }> {
    const email = to ?? (await resolve(draft.userId)).email;
    const createdAt = now();
    const record: NotificationRecord = {
      id: store.newId(),
      ...draft,
      channel: 'email',
      status: 'PENDING',
      ...(email ? { to: email } : {}),
      attempts: 0,
      createdAt,
      nextAttemptAt: createdAt,
    };
    const { id, claim } = await store.insertClaimed(record, leaseFrom(createdAt));
    // Stored is what counts: if this attempt cannot even be recorded, the sweeper makes it.
    const outcome = await dispatch(id, claim ? () => attempt(claim) : deliver).catch(() => 'deferred' as const);
    if (claim && outcome === 'deferred') await store.release(claim, now()).catch(() => {}); // else due once the lease ends
    return { id, outcome };
  }

  return {
    notify,
    deliver,

    /** User-created: its address is remembered, then the welcome goes out. */
    async welcome(draft: NotificationDraft, recipient: Recipient) {
      await recipients.remember(draft.userId, recipient);
      return notify(draft, recipient.email);
    },

    /** User-deleted: the goodbye goes to the address we had, which is then forgotten. */
    async farewell(draft: NotificationDraft) {
      const result = await notify(draft);
      await recipients.forget(draft.userId);
      return result;
    },

    /** Retries whatever is due, through the same dispatch as first attempts; resolves with how many were sent or handed on. */
    async sweep(limit = 20): Promise<number> {
      let moved = 0;
      for (const id of await store.due(now(), limit)) {
        const outcome = await dispatch(id, deliver);
        if (outcome === 'sent' || outcome === 'queued') moved++;
      }
      return moved;
    },

    /** A customer sees only their own notifications (all of them when no userId is given); admins and services anyone's. */
    async list(principal: Principal, query: { userId?: string; limit: number; cursor?: string }) {
      const asked = query.userId;
      if (!isPrivileged(principal) && asked !== undefined && asked !== principal.sub) throw forbidden('You may only read your own notifications');
      const userId = isPrivileged(principal) ? asked : principal.sub;
      const items = await store.list(userId === undefined ? {} : { userId }, query.limit, query.cursor);
      const last = items.at(-1);
      return { items, nextCursor: items.length === query.limit && last ? last.id : null };
    },
  };
}

export type NotificationRules = ReturnType<typeof createNotificationRules>;
