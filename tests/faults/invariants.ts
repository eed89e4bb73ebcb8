import { eventTypes, OrderEvent, PaymentEvent, ProductCreated, ProductDeleted, ReservationEvent, topics, UserCreated, UserDeleted } from '@shop/contracts';
import { parseEvent } from '@shop/platform/kafka/envelope';
import { type Document, MongoClient } from 'mongodb';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { StoredMail } from '../../infra/mail/mailbox.ts';
import { type RawMessage, readTopics } from './kafka.ts';

/**
 * The invariant checker of the fault scenarios (see docs/fault-injection.md and the spec's
 * guarantees). `readSnapshot` reads every service's database directly and every topic with an
 * independent consumer; `findViolations` is a pure function of that snapshot, so it can be tested
 * on hand-made data (invariants.test.ts) to prove that each kind of violation is found.
 */

export type ViolationKind =
  | 'stock-arithmetic'
  | 'stock-negative'
  | 'stock-holds'
  | 'stock-missing'
  | 'stock-mismatch'
  | 'oversell'
  | 'hold-stale'
  | 'order-not-terminal'
  | 'order-late'
  | 'order-lost'
  | 'order-failed-unavailable'
  | 'payment-count'
  | 'payment-amount'
  | 'payment-standing'
  | 'payment-stuck'
  | 'payment-orphan'
  | 'reservation-not-committed'
  | 'reservation-holding'
  | 'reservation-orphan'
  | 'notification-missing'
  | 'notification-duplicate'
  | 'notification-unsent'
  | 'mail-duplicate'
  | 'mail-missing'
  | 'outbox-pending'
  | 'event-twice'
  | 'event-missing'
  | 'event-mismatch'
  | 'dlq-valid';

export interface Violation {
  kind: ViolationKind;
  /** The document, event or message it is about. */
  id: string;
  detail: string;
}

export interface Line {
  productId: string;
  quantity: number;
}
export interface StockRow {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  holds: { reservationId: string; quantity: number }[];
}
export interface ReservationRow {
  id: string;
  orderId: string;
  status: string;
  items: Line[];
}
export interface OrderRow {
  id: string;
  userId: string;
  status: string;
  reason?: string;
  items: Line[];
  totalMinor: number;
  reservationId?: string;
  createdAt: Date;
  updatedAt: Date;
}
export interface PaymentRow {
  id: string;
  orderId: string;
  status: string;
  amountMinor: number;
}
export interface NotificationRow {
  id: string;
  eventId: string;
  userId: string;
  orderId?: string;
  type: string;
  status: string;
  /** Send attempts made (claims taken). */
  attempts?: number;
  /** The last send error, if any. */
  error?: string;
}
/** A document whose outbox still holds entries. */
export interface OutboxRow {
  database: string;
  collection: string;
  id: string;
  pending: number;
}
/** A valid envelope read from one of the event topics. */
export interface EventRow {
  topic: string;
  id: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}
/** A message read from a `<topic>.dlq`. */
export interface DeadLetterRow {
  topic: string;
  partition: number;
  offset: number;
  value: string | null;
}
export interface MailRow {
  messageId?: string;
  to: string[];
  subject: string;
  date?: string;
}

export interface Snapshot {
  takenAt: Date;
  /** The reservation TTL the system runs with, and the margin within which every order must have ended after it. */
  ttlSeconds: number;
  marginSeconds: number;
  /** Units put in per product (when known): nothing may be sold beyond them. */
  initialStock?: Record<string, number>;
  /** Orders a client was told exist (201/200 with an id): none may be lost. */
  acknowledgedOrders?: string[];
  /** Ids of the users stored at user-service (each must have been announced). */
  users?: string[];
  stock: StockRow[];
  reservations: ReservationRow[];
  orders: OrderRow[];
  /** Orders still drafts (no stock held as far as they know, nobody told): their holds, if any, expire. */
  draftOrderIds?: string[];
  payments: PaymentRow[];
  notifications: NotificationRow[];
  outboxes: OutboxRow[];
  events: EventRow[];
  deadLetters: DeadLetterRow[];
  /** The mail catcher's mails, when it is the system's own (optional check). */
  mails?: MailRow[];
}

const terminal = new Set(['confirmed', 'failed', 'cancelled']);
/** Reservation states in which its units are (still) taken from the shelf. */
const holding = new Set(['RESERVING', 'PENDING', 'RECOMMITTING', 'COMMITTED', 'RETURNING']);
/** Reservation states in which it may legitimately have holds on stock. */
const active = new Set(['RESERVING', 'PENDING', 'RECOMMITTING']);
const orderTerminalTypes = new Set<string>([eventTypes.orderConfirmed, eventTypes.orderFailed, eventTypes.orderCancelled]);

/** The event types each topic carries, with their payload schema: what a consumer must accept. */
export const topicSchemas: Record<string, Record<string, TSchema>> = {
  [topics.userCreated]: { [eventTypes.userCreated]: UserCreated },
  [topics.userDeleted]: { [eventTypes.userDeleted]: UserDeleted },
  [topics.productEvents]: { [eventTypes.productCreated]: ProductCreated, [eventTypes.productDeleted]: ProductDeleted },
  [topics.inventoryEvents]: Object.fromEntries(
    [eventTypes.reservationCommitted, eventTypes.reservationReleased, eventTypes.reservationExpired, eventTypes.reservationCommitFailed].map((t) => [
      t,
      ReservationEvent,
    ]),
  ),
  [topics.orderEvents]: Object.fromEntries(
    [eventTypes.orderCreated, eventTypes.orderConfirmed, eventTypes.orderFailed, eventTypes.orderCancelled].map((t) => [t, OrderEvent]),
  ),
  [topics.paymentEvents]: Object.fromEntries([eventTypes.paymentSucceeded, eventTypes.paymentFailed, eventTypes.paymentRefunded].map((t) => [t, PaymentEvent])),
};

/** The events notification-service turns into notifications, one each. */
const notified = (event: EventRow) =>
  event.topic === topics.userCreated ||
  event.topic === topics.userDeleted ||
  event.topic === topics.paymentEvents ||
  (event.topic === topics.orderEvents && orderTerminalTypes.has(event.type));

/** Why a message is a valid event of `topic` (a consumer must not dead-letter it), or null when it is not. */
export function validFor(topic: string, value: string): string | null {
  const parsed = parseEvent(value);
  if (!parsed.ok) return null;
  const schema = topicSchemas[topic]?.[parsed.event.type];
  if (!schema || !Value.Check(schema, parsed.event.data)) return null;
  return `${parsed.event.type} ${parsed.event.id}`;
}

/** The original topic and value inside a dead letter (the platform wraps them in a `dead-letter` envelope). */
export function unwrapDeadLetter(row: DeadLetterRow): { topic: string; value: string | null; reason?: string } {
  const fallback = { topic: row.topic.replace(/\.dlq$/, ''), value: row.value };
  if (row.value === null) return fallback;
  try {
    const letter = JSON.parse(row.value) as { type?: unknown; data?: { topic?: unknown; value?: unknown; encoding?: unknown; reason?: unknown } };
    if (letter.type !== 'dead-letter' || !letter.data) return fallback;
    const { topic, value, encoding, reason } = letter.data;
    return {
      topic: typeof topic === 'string' ? topic : fallback.topic,
      value: typeof value === 'string' ? (encoding === 'base64' ? Buffer.from(value, 'base64').toString('utf8') : value) : null,
      ...(typeof reason === 'string' ? { reason } : {}),
    };
  } catch {
    return fallback;
  }
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const distinctIds = (events: EventRow[]) => [...new Set(events.map((e) => e.id))];
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Every invariant of the spec that can be read off a snapshot; an empty list means all hold. */
export function findViolations(s: Snapshot): Violation[] {
  const out: Violation[] = [];
  const add = (kind: ViolationKind, id: string, detail: string) => out.push({ kind, id, detail });
  const reservationsById = new Map(s.reservations.map((r) => [r.id, r]));
  const reservationsByOrder = groupBy(s.reservations, (r) => r.orderId);
  const paymentsByOrder = groupBy(s.payments, (p) => p.orderId);
  const orderIds = new Set(s.orders.map((o) => o.id));
  const deadlineSeconds = s.ttlSeconds + s.marginSeconds;

  // 1. No oversell; onHand, reserved and available add up; reserved is what the holds say.
  const stockByProduct = new Map(s.stock.map((row) => [row.productId, row]));
  const heldBy = new Map<string, string[]>();
  for (const row of s.stock) {
    if (row.available !== row.onHand - row.reserved)
      add('stock-arithmetic', row.productId, `available ${row.available} ≠ onHand ${row.onHand} − reserved ${row.reserved}`);
    if (row.available < 0 || row.onHand < 0 || row.reserved < 0)
      add('stock-negative', row.productId, `onHand ${row.onHand}, reserved ${row.reserved}, available ${row.available}`);
    const held = row.holds.reduce((sum, h) => sum + h.quantity, 0);
    if (held !== row.reserved) add('stock-holds', row.productId, `reserved ${row.reserved} but the holds add up to ${held}`);
    for (const hold of row.holds) {
      heldBy.set(hold.reservationId, [...(heldBy.get(hold.reservationId) ?? []), row.productId]);
      const reservation = reservationsById.get(hold.reservationId);
      if (!reservation || !active.has(reservation.status))
        add(
          'hold-stale',
          `${row.productId}/${hold.reservationId}`,
          `${hold.quantity} unit(s) held for reservation ${reservation?.status ?? 'that does not exist'}`,
        );
    }
  }
  if (s.initialStock) {
    const sold = new Map<string, number>();
    for (const order of s.orders.filter((o) => o.status === 'confirmed'))
      for (const line of order.items) sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
    for (const [productId, put] of Object.entries(s.initialStock)) {
      const row = stockByProduct.get(productId);
      const committed = sold.get(productId) ?? 0;
      if (committed > put) add('oversell', productId, `confirmed orders hold ${committed} unit(s) of ${put} put in`);
      if (!row) add('stock-missing', productId, 'no stock record');
      else if (row.onHand !== put - committed) add('stock-mismatch', productId, `onHand ${row.onHand} ≠ ${put} put in − ${committed} sold to confirmed orders`);
    }
  }

  // 2. Every order ends, within the reservation TTL plus the margin.
  for (const order of s.orders) {
    const age = (at: Date) => (at.getTime() - order.createdAt.getTime()) / 1000;
    if (!terminal.has(order.status)) add('order-not-terminal', order.id, `${order.status} for ${age(s.takenAt).toFixed(1)} s (limit ${deadlineSeconds} s)`);
    else if (age(order.updatedAt) > deadlineSeconds)
      add('order-late', order.id, `${order.status} after ${age(order.updatedAt).toFixed(1)} s (limit ${deadlineSeconds} s)`);
  }
  for (const id of s.acknowledgedOrders ?? []) if (!orderIds.has(id)) add('order-lost', id, 'a client got this order id, but the order is not stored');
  // A dependency that was away is a reason to answer 503 (before stock is held) or to wait (after), never to fail an order.
  for (const order of s.orders)
    if (order.status === 'failed' && /unavailable/i.test(order.reason ?? '')) add('order-failed-unavailable', order.id, `failed: ${order.reason}`);

  // 3. Money and stock agree.
  for (const order of s.orders) {
    const payments = paymentsByOrder.get(order.id) ?? [];
    const successes = payments.filter((p) => p.status === 'success');
    const reservations = reservationsByOrder.get(order.id) ?? [];
    if (order.status === 'confirmed') {
      if (successes.length !== 1)
        add('payment-count', order.id, `confirmed with ${successes.length} successful payment(s) (${payments.map((p) => p.status).join(', ') || 'none'})`);
      for (const p of successes)
        if (p.amountMinor !== order.totalMinor) add('payment-amount', p.id, `charged ${p.amountMinor} for order ${order.id} of ${order.totalMinor}`);
      const committed = reservations.filter((r) => r.status === 'COMMITTED');
      if (committed.length !== 1 || (order.reservationId && committed[0]?.id !== order.reservationId))
        add('reservation-not-committed', order.id, `confirmed, reservation(s): ${reservations.map((r) => `${r.id} ${r.status}`).join(', ') || 'none'}`);
    } else if (order.status === 'failed' || order.status === 'cancelled') {
      for (const p of successes) add('payment-standing', order.id, `${order.status}, but payment ${p.id} is still a success (not refunded)`);
      for (const r of reservations)
        if (holding.has(r.status) || heldBy.has(r.id))
          add('reservation-holding', order.id, `${order.status}, but reservation ${r.id} is ${r.status}${heldBy.has(r.id) ? ' with holds' : ''}`);
      if (order.reservationId && !reservationsById.has(order.reservationId) && heldBy.has(order.reservationId))
        add('reservation-holding', order.id, `${order.status}, but stock is held for its reservation ${order.reservationId}`);
    }
  }
  for (const p of s.payments) {
    if (p.status === 'processing') add('payment-stuck', p.id, `payment for order ${p.orderId} still processing`);
    if (p.status === 'success' && !orderIds.has(p.orderId)) add('payment-orphan', p.id, `successful payment for unknown order ${p.orderId}`);
  }
  // A draft's hold (its answer was lost and its client did not come back) expires with the reservation's TTL.
  const drafts = new Set(s.draftOrderIds ?? []);
  for (const r of s.reservations)
    if (!orderIds.has(r.orderId) && !drafts.has(r.orderId) && holding.has(r.status))
      add('reservation-orphan', r.id, `${r.status} reservation for unknown order ${r.orderId}`);

  // 4. No event lost, none acting twice: the topics against the state, one notification per source event.
  const byOrder = groupBy(
    s.events.filter((e) => e.topic === topics.orderEvents && orderTerminalTypes.has(e.type)),
    (e) => str(e.data.orderId) ?? e.subject,
  );
  for (const [orderId, events] of byOrder) {
    const ids = distinctIds(events);
    if (ids.length > 1) add('event-twice', orderId, `${ids.length} different terminal order events: ${events.map((e) => e.type).join(', ')}`);
  }
  for (const order of s.orders.filter((o) => terminal.has(o.status))) {
    const events = byOrder.get(order.id) ?? [];
    if (events.length === 0) add('event-missing', order.id, `${order.status}, but no order.${order.status} on ${topics.orderEvents}`);
    else if (events.some((e) => e.type !== `order.${order.status}`))
      add('event-mismatch', order.id, `stored ${order.status}, announced ${[...new Set(events.map((e) => e.type))].join(', ')}`);
  }
  // Every stored state change has its event on the topic (the outbox relayed it, nothing was dropped).
  const aggregateOf: Record<string, string> = {
    [topics.orderEvents]: 'orderId',
    [topics.paymentEvents]: 'paymentId',
    [topics.inventoryEvents]: 'reservationId',
    [topics.userCreated]: 'userId',
  };
  const announced = new Set(s.events.map((e) => `${e.type} ${str(e.data[aggregateOf[e.topic] ?? '']) ?? e.subject}`));
  const expectEvent = (type: string, id: string, what: string) => {
    if (!announced.has(`${type} ${id}`)) add('event-missing', id, `${what}, but no ${type} for it on the topics`);
  };
  for (const order of s.orders) expectEvent(eventTypes.orderCreated, order.id, `order ${order.status}`);
  const paymentTypes: Record<string, string[]> = {
    success: [eventTypes.paymentSucceeded],
    failure: [eventTypes.paymentFailed],
    refunded: [eventTypes.paymentSucceeded, eventTypes.paymentRefunded],
  };
  for (const p of s.payments) for (const type of paymentTypes[p.status] ?? []) expectEvent(type, p.id, `payment ${p.status}`);
  const reservationTypes: Record<string, string> = { COMMITTED: eventTypes.reservationCommitted, EXPIRED: eventTypes.reservationExpired };
  for (const r of s.reservations) if (reservationTypes[r.status]) expectEvent(reservationTypes[r.status] as string, r.id, `reservation ${r.status}`);
  for (const user of s.users ?? []) expectEvent(eventTypes.userCreated, user, 'user stored');

  const twice = (topic: string, key: (e: EventRow) => string | undefined, only?: string) => {
    for (const [k, events] of groupBy(
      s.events.filter((e) => e.topic === topic && (!only || e.type === only)),
      (e) => {
        const id = key(e);
        return id === undefined ? undefined : `${e.type} ${id}`;
      },
    )) {
      const ids = distinctIds(events);
      if (ids.length > 1) add('event-twice', k, `${ids.length} different events`);
    }
  };
  twice(topics.paymentEvents, (e) => str(e.data.orderId));
  twice(topics.inventoryEvents, (e) => str(e.data.reservationId), eventTypes.reservationCommitted);
  twice(topics.userCreated, (e) => str(e.data.userId));

  const notificationsByEvent = groupBy(s.notifications, (n) => n.eventId);
  for (const id of distinctIds(s.events.filter(notified))) {
    const count = notificationsByEvent.get(id)?.length ?? 0;
    if (count === 0) add('notification-missing', id, `no notification for event ${s.events.find((e) => e.id === id)?.type} ${id}`);
    if (count > 1) add('notification-duplicate', id, `${count} notifications for event ${id}`);
  }
  for (const [k, list] of groupBy(s.notifications, (n) => `${n.type} ${n.orderId ?? n.userId}`))
    if (list.length > 1) add('notification-duplicate', k, `${list.length} notifications (${list.map((n) => n.id).join(', ')})`);
  for (const n of s.notifications)
    if (n.status !== 'SENT')
      add('notification-unsent', n.id, `${n.type} for ${n.userId} is ${n.status} after ${n.attempts ?? '?'} attempt(s)${n.error ? `: ${n.error}` : ''}`);
  if (s.mails) {
    const byMessageId = groupBy(s.mails, (m) => m.messageId?.replace(/^<|@.*$/g, ''));
    const notificationsById = new Map(s.notifications.map((n) => [n.id, n]));
    for (const [id, mails] of byMessageId) {
      if (mails.length < 2) continue;
      const n = notificationsById.get(id);
      // More mails than attempts: two senders sent under one claim. As many mails as attempts is the
      // documented at-least-once window (sent, but SENT could not be recorded; the lease ran out and
      // it went again with the same Message-ID): see `mailResends`.
      if (n?.attempts !== undefined && mails.length <= n.attempts) continue;
      const about = n
        ? ` (${n.type} to ${mails[0]?.to.join(', ')}, ${n.status} after ${n.attempts ?? '?'} attempt(s)${n.error ? `, last error: ${n.error}` : ''})`
        : '';
      const dates = mails.map((m) => m.date ?? '?').join(' and ');
      add('mail-duplicate', id, `${mails.length} mails for notification ${id}${about}, at ${dates}`);
    }
    for (const n of s.notifications)
      if (n.status === 'SENT' && !byMessageId.has(n.id)) add('mail-missing', n.id, `${n.type} marked SENT, but no such mail arrived`);
  }

  for (const o of s.outboxes) add('outbox-pending', `${o.database}.${o.collection}/${o.id}`, `${o.pending} event(s) never relayed`);

  for (const row of s.deadLetters) {
    const original = unwrapDeadLetter(row);
    const valid = original.value === null ? null : validFor(original.topic, original.value);
    if (valid)
      add('dlq-valid', `${row.topic}/${row.partition}/${row.offset}`, `a valid ${valid} was dead-lettered${original.reason ? `: ${original.reason}` : ''}`);
  }
  return out;
}

/**
 * Notifications mailed more than once, each after an attempt of its own: not a violation (the
 * SMTP server accepted a mail whose SENT the service could not record, e.g. during a database
 * outage, and the retry carries the same Message-ID), but worth reporting.
 */
export function mailResends(s: Snapshot): string[] {
  if (!s.mails) return [];
  const attempts = new Map(s.notifications.map((n) => [n.id, n.attempts]));
  return [...groupBy(s.mails, (m) => m.messageId?.replace(/^<|@.*$/g, ''))]
    .filter(([id, mails]) => mails.length > 1 && mails.length <= (attempts.get(id) ?? 0))
    .map(([id, mails]) => `${id} ×${mails.length}`);
}

/** A short, readable list for assertion messages: counts by kind, then the first violations. */
export function describeViolations(violations: Violation[], max = 25): string {
  if (violations.length === 0) return 'no violations';
  const counts = [...groupBy(violations, (v) => v.kind)].map(([kind, list]) => `${kind} ×${list.length}`).join(', ');
  const lines = violations.slice(0, max).map((v) => `  ${v.kind} ${v.id}: ${v.detail}`);
  return [`${violations.length} violation(s): ${counts}`, ...lines, ...(violations.length > max ? [`  … ${violations.length - max} more`] : [])].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading a live system

export const serviceDatabases = ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification'] as const;
const eventTopics = Object.keys(topicSchemas);

export interface Target {
  mongoUri: string;
  /** Databases are `<prefix>_<service>`. */
  prefix: string;
  brokers: string[];
  /** The system's own mail catcher, to count mails per notification. */
  mailApi?: string;
}

export interface Expectations {
  ttlSeconds: number;
  marginSeconds: number;
  initialStock?: Record<string, number>;
  acknowledgedOrders?: string[];
}

const hex = (id: unknown) => (id && typeof id === 'object' && 'toHexString' in id ? (id as { toHexString(): string }).toHexString() : String(id));
const lines = (items: unknown): Line[] =>
  Array.isArray(items) ? items.map((i: { productId: string; quantity: number }) => ({ productId: i.productId, quantity: i.quantity })) : [];

/** Everything `findViolations` needs, read from the databases, the topics and (optionally) the mail catcher. */
export async function readSnapshot(target: Target, expect: Expectations): Promise<Snapshot> {
  const client = new MongoClient(target.mongoUri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const db = (name: (typeof serviceDatabases)[number]) => client.db(`${target.prefix}_${name}`);
    const all = (name: (typeof serviceDatabases)[number], collection: string) =>
      db(name)
        .collection(collection)
        .find({}, { projection: { outbox: 0 } })
        .toArray() as Promise<Document[]>;
    const [users, stock, reservations, orders, payments, notifications, outboxes, messages, mails] = await Promise.all([
      db('user')
        .collection('users')
        .find({}, { projection: { _id: 1 } })
        .toArray(),
      all('inventory', 'stock'),
      all('inventory', 'reservations'),
      all('order', 'orders'),
      all('payment', 'payments'),
      all('notification', 'notifications'),
      readOutboxes(client, target.prefix),
      readTopics(target.brokers, [...eventTopics, ...eventTopics.map((t) => `${t}.dlq`)]),
      target.mailApi ? readMails(target.mailApi) : Promise.resolve(undefined),
    ]);
    return {
      takenAt: new Date(),
      ...expect,
      users: users.map((d) => hex(d._id)),
      stock: stock.map((d) => ({
        productId: d.productId,
        onHand: d.onHand,
        reserved: d.reserved,
        available: d.available,
        holds: (d.holds ?? []).map((h: { reservationId: string; quantity: number }) => ({ reservationId: h.reservationId, quantity: h.quantity })),
      })),
      reservations: reservations.map((d) => ({ id: hex(d._id), orderId: d.orderId, status: d.status, items: lines(d.items) })),
      // A draft is not an order yet (no stock held, nobody told); its client retries with the same key.
      orders: orders
        .filter((d) => d.step !== 'draft')
        .map((d) => ({
          id: hex(d._id),
          userId: d.userId,
          status: d.status,
          ...(d.reason ? { reason: d.reason } : {}),
          items: lines(d.items),
          totalMinor: d.totalMinor,
          ...(d.reservationId ? { reservationId: d.reservationId } : {}),
          createdAt: d.createdAt,
          updatedAt: d.updatedAt,
        })),
      draftOrderIds: orders.filter((d) => d.step === 'draft').map((d) => hex(d._id)),
      payments: payments.map((d) => ({ id: hex(d._id), orderId: d.orderId, status: d.status, amountMinor: d.amountMinor })),
      notifications: notifications.map((d) => ({
        id: hex(d._id),
        eventId: d.eventId,
        userId: d.userId,
        ...(d.orderId ? { orderId: d.orderId } : {}),
        type: d.type,
        status: d.status,
        ...(typeof d.attempts === 'number' ? { attempts: d.attempts } : {}),
        ...(d.error ? { error: String(d.error) } : {}),
      })),
      outboxes,
      ...splitMessages(messages),
      ...(mails ? { mails } : {}),
    };
  } finally {
    await client.close();
  }
}

function splitMessages(messages: RawMessage[]): { events: EventRow[]; deadLetters: DeadLetterRow[] } {
  const events: EventRow[] = [];
  const deadLetters: DeadLetterRow[] = [];
  for (const m of messages) {
    if (m.topic.endsWith('.dlq')) {
      deadLetters.push({ topic: m.topic, partition: m.partition, offset: m.offset, value: m.value });
      continue;
    }
    const parsed = m.value === null ? null : parseEvent(m.value);
    if (parsed?.ok) events.push({ topic: m.topic, id: parsed.event.id, type: parsed.event.type, subject: parsed.event.subject, data: parsed.event.data });
  }
  return { events, deadLetters };
}

/** Every document, in every collection of every service database, whose outbox is not empty. */
export async function readOutboxes(client: MongoClient, prefix: string): Promise<OutboxRow[]> {
  const rows: OutboxRow[] = [];
  for (const name of serviceDatabases) {
    const db = client.db(`${prefix}_${name}`);
    for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const docs = await db
        .collection(collection)
        .find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } })
        .toArray();
      for (const doc of docs) rows.push({ database: db.databaseName, collection, id: hex(doc._id), pending: (doc.outbox as unknown[]).length });
    }
  }
  return rows;
}

async function readMails(api: string): Promise<MailRow[]> {
  const response = await fetch(`${api}/api/messages`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`mail catcher: ${response.status}`);
  return ((await response.json()) as StoredMail[]).map((m) => ({
    ...(m.messageId ? { messageId: m.messageId } : {}),
    to: m.to,
    subject: m.subject,
    ...(m.date ? { date: m.date } : {}),
  }));
}

/** Reads the system and checks it. */
export async function checkInvariants(target: Target, expect: Expectations): Promise<Violation[]> {
  return findViolations(await readSnapshot(target, expect));
}
