import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { AppError } from '@shop/platform/errors';
import type { NotificationDraft, NotificationRecord, Recipient } from './notification.ts';
import { type Claim, createNotificationRules, type Dispatch, type NotificationStore } from './notifications.ts';

const hex = () => randomBytes(12).toString('hex');

/** An in-memory store with the MongoDB store's semantics: unique event id, conditional claim, holder-only outcome. */
function fakeStore() {
  const rows = new Map<string, NotificationRecord & { claimId?: string }>();
  const calls = { claim: 0 };
  const store: NotificationStore = {
    newId: hex,
    async insertClaimed(record, leaseUntil) {
      const existing = [...rows.values()].find((r) => r.eventId === record.eventId);
      if (existing) return { id: existing.id, claim: null };
      const row = { ...record, attempts: record.attempts + 1, nextAttemptAt: leaseUntil, claimId: randomUUID() };
      rows.set(record.id, row);
      return { id: record.id, claim: { notification: { ...row }, claimId: row.claimId } };
    },
    async release(claim, now) {
      const row = rows.get(claim.notification.id);
      if (row?.claimId !== claim.claimId) return;
      Object.assign(row, { nextAttemptAt: now, claimId: undefined, attempts: row.attempts - 1 });
    },
    async claim(id, now, leaseUntil) {
      calls.claim++;
      const row = rows.get(id);
      if (!row || row.status === 'SENT' || !row.nextAttemptAt || row.nextAttemptAt > now) return null;
      Object.assign(row, { nextAttemptAt: leaseUntil, claimId: randomUUID(), attempts: row.attempts + 1 });
      return { notification: { ...row }, claimId: row.claimId as string };
    },
    async markSent(claim: Claim, to, at) {
      const row = rows.get(claim.notification.id);
      if (row?.claimId !== claim.claimId) return;
      Object.assign(row, { status: 'SENT', to, sentAt: at, nextAttemptAt: undefined, claimId: undefined, error: undefined });
    },
    async markFailed(claim, error, retryAt, to) {
      const row = rows.get(claim.notification.id);
      if (row?.claimId !== claim.claimId) return;
      Object.assign(row, { status: 'FAILED', error, to: to ?? row.to, nextAttemptAt: retryAt ?? undefined, claimId: undefined });
    },
    async due(now, limit) {
      return [...rows.values()]
        .filter((r) => r.status !== 'SENT' && r.nextAttemptAt && r.nextAttemptAt <= now)
        .slice(0, limit)
        .map((r) => r.id);
    },
    async list(filter, limit, before) {
      return [...rows.values()]
        .filter((r) => !filter.userId || r.userId === filter.userId)
        .sort((a, b) => b.id.localeCompare(a.id))
        .filter((r) => !before || r.id < before)
        .slice(0, limit);
    },
  };
  return { store, rows, calls };
}

function setup(options: { maxAttempts?: number; directory?: Map<string, Recipient>; dispatch?: Dispatch } = {}) {
  const { store, rows, calls } = fakeStore();
  const book = new Map<string, Recipient | 'forgotten'>();
  const sent: { id: string; to: string; subject: string }[] = [];
  const smtp = { up: true, sending: Promise.resolve() };
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const directory = options.directory ?? new Map<string, Recipient>();
  const users = { down: false };
  const rules = createNotificationRules({
    store,
    recipients: {
      remember: async (userId, r) => void (book.has(userId) ? undefined : book.set(userId, r)),
      forget: async (userId) => void book.set(userId, 'forgotten'),
      find: async (userId) => book.get(userId) ?? null,
    },
    users: {
      async find(userId) {
        if (users.down) throw new Error('user-service is unavailable');
        return directory.get(userId) ?? null;
      },
    },
    mailer: {
      async send(mail) {
        await smtp.sending;
        if (!smtp.up) throw new Error('451 4.3.0 try again later');
        sent.push({ id: mail.id, to: mail.to, subject: mail.subject });
      },
    },
    policy: { baseMs: 1000, maxMs: 60_000, maxAttempts: options.maxAttempts ?? 10, leaseMs: 30_000 },
    now: () => new Date(clock),
    ...(options.dispatch ? { dispatch: options.dispatch } : {}),
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { rules, rows, sent, smtp, book, users, advance, calls };
}

const draft = (userId: string, extra: Partial<NotificationDraft> = {}): NotificationDraft => ({
  eventId: randomUUID(),
  userId,
  orderId: hex(),
  type: 'order.confirmed',
  subject: 'Order confirmed',
  message: 'Your order is confirmed: total 39.98 USD.',
  ...extra,
});
const ann = { email: 'ann@example.com', name: 'Ann' };

test('an event delivered twice gives one notification and one mail', async () => {
  const { rules, rows, sent, book } = setup();
  const userId = hex();
  book.set(userId, ann);
  const news = draft(userId);
  const first = await rules.notify(news);
  const second = await rules.notify({ ...news });
  assert.equal(first.id, second.id);
  assert.deepEqual([first.outcome, second.outcome], ['sent', 'skipped']);
  assert.equal(rows.size, 1);
  assert.deepEqual(sent, [{ id: first.id, to: ann.email, subject: 'Order confirmed' }]);
  assert.equal(rows.get(first.id)?.status, 'SENT');
});

test('the first attempt is made on the claim the notification was stored with: no claim of its own', async () => {
  const { rules, rows, sent, book, calls } = setup();
  const userId = hex();
  book.set(userId, ann);
  const { id, outcome } = await rules.notify(draft(userId));
  assert.equal(outcome, 'sent');
  assert.equal(calls.claim, 0);
  assert.deepEqual([rows.get(id)?.status, rows.get(id)?.attempts, rows.get(id)?.claimId], ['SENT', 1, undefined]);
  assert.equal(sent.length, 1);
});

test('a first attempt not made (the sender deferred it) gives its claim back: the sweeper sends it at once, not after the lease', async () => {
  let deferring = true;
  const dispatch: Dispatch = async (id, attempt) => (deferring ? 'deferred' : attempt(id));
  const { rules, rows, sent, book } = setup({ dispatch });
  const userId = hex();
  book.set(userId, ann);
  const { id, outcome } = await rules.notify(draft(userId));
  assert.equal(outcome, 'deferred');
  assert.deepEqual([rows.get(id)?.status, rows.get(id)?.attempts, rows.get(id)?.claimId], ['PENDING', 0, undefined]);
  deferring = false;
  assert.equal(await rules.sweep(), 1);
  assert.deepEqual(sent, [{ id, to: ann.email, subject: 'Order confirmed' }]);
  assert.deepEqual([rows.get(id)?.status, rows.get(id)?.attempts], ['SENT', 1]);
});

test('a refused mail is FAILED with the error, resent with backoff by the sweeper, and sent once', async () => {
  const { rules, rows, sent, smtp, book, advance } = setup();
  const userId = hex();
  book.set(userId, ann);
  smtp.up = false;
  const { id, outcome } = await rules.notify(draft(userId));
  assert.equal(outcome, 'failed');
  assert.match(rows.get(id)?.error ?? '', /451/);
  assert.equal(rows.get(id)?.status, 'FAILED');
  advance(999);
  assert.equal(await rules.sweep(), 0, 'not due before the backoff');
  advance(1);
  assert.equal(await rules.sweep(), 0, 'still refused');
  assert.equal(rows.get(id)?.attempts, 2);
  smtp.up = true;
  advance(1999);
  assert.equal(await rules.sweep(), 0, 'the second wait is twice as long');
  advance(1);
  assert.equal(await rules.sweep(), 1);
  assert.equal(await rules.sweep(), 0);
  advance(3_600_000);
  assert.equal(await rules.sweep(), 0);
  assert.equal(sent.length, 1);
  assert.equal(rows.get(id)?.status, 'SENT');
  assert.equal(rows.get(id)?.error, undefined);
});

test('attempts are bounded: after the last one the notification stays FAILED', async () => {
  const { rules, rows, sent, smtp, book, advance } = setup({ maxAttempts: 3 });
  const userId = hex();
  book.set(userId, ann);
  smtp.up = false;
  const { id } = await rules.notify(draft(userId));
  for (let i = 0; i < 5; i++) {
    advance(60_000);
    await rules.sweep();
  }
  smtp.up = true;
  advance(600_000);
  assert.equal(await rules.sweep(), 0);
  assert.deepEqual([rows.get(id)?.status, rows.get(id)?.attempts, rows.get(id)?.nextAttemptAt, sent.length], ['FAILED', 3, undefined, 0]);
});

test('two senders racing for the same notification send it once (claim before sending)', async () => {
  const { rules, rows, sent, smtp, book, advance } = setup();
  const userId = hex();
  book.set(userId, ann);
  smtp.up = false;
  const { id } = await rules.notify(draft(userId));
  smtp.up = true;
  advance(1000);
  let release = () => {};
  smtp.sending = new Promise((resolve) => {
    release = resolve;
  });
  const racing = Promise.all([rules.deliver(id), rules.deliver(id), rules.sweep()]);
  release();
  const [a, b, swept] = await racing;
  assert.deepEqual([a, b, swept].sort(), [0, 'sent', 'skipped'].sort());
  assert.equal(sent.length, 1);
  assert.equal(rows.get(id)?.status, 'SENT');
});

test('an address not known yet comes from user-service; without one the notification waits for it', async () => {
  const known = hex();
  const { rules, rows, sent, users, book, advance } = setup({ directory: new Map([[known, ann]]) });
  assert.equal((await rules.notify(draft(known))).outcome, 'sent');
  assert.equal(sent[0]?.to, ann.email);
  assert.deepEqual(book.get(known), ann, 'the address is kept');

  const later = hex();
  users.down = true;
  const { id } = await rules.notify(draft(later));
  assert.match(rows.get(id)?.error ?? '', /user-service is unavailable/);
  users.down = false;
  advance(1000);
  await rules.sweep();
  assert.match(rows.get(id)?.error ?? '', /not known to user-service/);
  // user-created arrives after the order event.
  await rules.welcome(draft(later, { type: 'user.created', orderId: undefined }), { email: 'late@example.com', name: 'Late' });
  advance(2000);
  await rules.sweep();
  assert.equal(rows.get(id)?.status, 'SENT');
  const toLate = sent.filter((m) => m.to === 'late@example.com').map((m) => m.id);
  assert.equal(toLate.length, 2, 'the welcome and the order mail');
  assert.equal(toLate.filter((sentId) => sentId === id).length, 1);
});

test('the goodbye goes to the known address, which is then forgotten', async () => {
  const { rules, sent, book } = setup();
  const userId = hex();
  book.set(userId, ann);
  await rules.farewell(draft(userId, { type: 'user.deleted', orderId: undefined, subject: 'Bye' }));
  assert.deepEqual(
    sent.map((m) => [m.to, m.subject]),
    [[ann.email, 'Bye']],
  );
  assert.equal(book.get(userId), 'forgotten');
});

test('customers list only their own notifications; admins anyone, paged', async () => {
  const { rules, book } = setup();
  const [alice, bob] = [hex(), hex()];
  book.set(alice, ann);
  book.set(bob, ann);
  for (let i = 0; i < 3; i++) await rules.notify(draft(alice));
  await rules.notify(draft(bob));
  const asAlice = { sub: alice, role: 'customer' as const };
  assert.equal((await rules.list(asAlice, { limit: 50 })).items.length, 3);
  assert.equal((await rules.list(asAlice, { userId: alice, limit: 50 })).items.length, 3);
  await assert.rejects(rules.list(asAlice, { userId: bob, limit: 50 }), (e: AppError) => e.status === 403);
  const admin = { sub: hex(), role: 'admin' as const };
  assert.equal((await rules.list(admin, { limit: 50 })).items.length, 4);
  const page = await rules.list(admin, { userId: alice, limit: 2 });
  assert.equal(page.items.length, 2);
  const rest = await rules.list(admin, { userId: alice, limit: 2, cursor: page.nextCursor ?? '' });
  assert.deepEqual([rest.items.length, rest.nextCursor], [1, null]);
});
