import { isDeepStrictEqual } from 'node:util';
import { unavailable } from '@shop/platform/errors';
import { LRUCache } from 'lru-cache';
import { decide, type Fact, withFact } from './decide.ts';
import { announcement, isDraft, type OrderChanges, type OrderDomainEvent, type OrderRecord } from './order.ts';
import type { OrderStore } from './ports.ts';

/**
 * One change of an order, carrying exactly the fields it may set: a fact learnt from payment or
 * inventory (payment facts also note the payment id), or a placing step. `reserved`: the draft's
 * stock is held, so it becomes the order and is announced (order.created). `charged`:
 * payment-service answered the charge; `outcome` is what that answer says, if anything yet.
 */
export type OrderChange = Fact | { kind: 'reserved'; reservationId: string } | { kind: 'charged'; paymentId: string; outcome: Fact | null };

/** The fields a change sets besides facts and status. */
function fieldsOf(change: OrderChange): Partial<Pick<OrderRecord, 'step' | 'reservationId' | 'paymentId'>> {
  switch (change.kind) {
    case 'reserved':
      return { reservationId: change.reservationId, step: 'reserved' };
    case 'charged':
      return { paymentId: change.paymentId, step: 'charged' };
    case 'paymentSucceeded':
    case 'paymentFailed':
      return { paymentId: change.paymentId };
    default:
      return {};
  }
}

function factOf(change: OrderChange): Fact | null {
  if (change.kind === 'reserved') return null;
  if (change.kind === 'charged') return change.outcome;
  return change;
}

/**
 * What `change` writes to `order` as it stands: its changes and the event to announce, or null
 * when it writes nothing (a terminal order, news about a draft, a change already there).
 */
function writeOf(order: OrderRecord, change: OrderChange, at: Date): { changes: OrderChanges; events: OrderDomainEvent[] } | null {
  if (order.status !== 'pending') return null;
  // A draft changes only by being reserved. News about a draft is about a hold it never
  // learnt of (it expired): the draft just goes at its deadline.
  const announce = change.kind === 'reserved';
  if (isDraft(order) !== announce) return null;
  const fact = factOf(change);
  const facts = fact ? withFact(order.facts, fact) : order.facts;
  const decision = decide(order.status, facts);
  const fields = fieldsOf(change);
  const unchanged = isDeepStrictEqual(facts, order.facts) && Object.entries(fields).every(([k, v]) => order[k as keyof typeof fields] === v);
  if (!decision && !announce && unchanged) return null;
  const changes: OrderChanges = { ...fields, facts, updatedAt: at };
  if (decision) {
    changes.status = decision.status;
    if ('reason' in decision) changes.reason = decision.reason;
  }
  return { changes, events: decision || announce ? [announcement({ ...order, ...changes })] : [] };
}

/**
 * True when `fact` can change nothing on an order of which `copy` is some stored version, however
 * old: the copy is no draft, and it is already terminal or already holds the fact. Facts are only
 * ever added and a terminal status never changes, so every later version holds them too.
 */
export function alreadyKnown(copy: OrderRecord, fact: Fact): boolean {
  if (isDraft(copy)) return false; // a draft's news is ignored, but the stored order may be reserved by now
  return copy.status !== 'pending' || isDeepStrictEqual(withFact(copy.facts, fact), copy.facts);
}

/**
 * The one way an order changes: read it, add the change, let `decide` pick the status, and write
 * state, fact and event in one conditional update. A write that lost a race is re-read and
 * retried, so changes from HTTP, consumers and the sweeper are all kept; a terminal order is left as it is.
 *
 * It remembers the last version of each order it read or wrote (`recentOrders` of them), and
 * starts from that copy instead of reading: a checkout's events (payment.succeeded,
 * reservation.committed) come seconds after this process wrote the order, so each saves a read.
 * A stale copy costs only a retry: the write is guarded by the version, and a fact the copy
 * already holds is in the store too (`alreadyKnown`).
 */
export function createTransitions(deps: { store: OrderStore; eventsQueued(id: string): void; now?: () => Date; recentOrders?: number }) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const recent = new LRUCache<string, OrderRecord>({ max: deps.recentOrders ?? 5_000 });
  const remember = (order: OrderRecord | null) => {
    if (order) recent.set(order.id, order);
    return order;
  };

  return {
    /**
     * `known`: the order as the caller just read or wrote it, saving the first read (a stale one
     * only costs a retry). Without it, the remembered copy serves the same way. The answer is the
     * stored order, except for a fact a copy already holds: then that copy.
     */
    async apply(orderId: string, change: OrderChange, known?: OrderRecord): Promise<OrderRecord | null> {
      for (let attempt = 0; attempt < 20; attempt++) {
        const copy = attempt === 0 ? (known ?? recent.get(orderId)) : undefined;
        const order = copy ?? remember(await store.findById(orderId));
        const write = order && writeOf(order, change, now());
        if (!order || !write) {
          if (!copy) return order;
          // Nothing to write on a copy: only a fact it already holds is settled without a read.
          if (change.kind !== 'reserved' && change.kind !== 'charged' && alreadyKnown(copy, change)) return copy;
          continue;
        }
        const updated = remember(await store.update(order.id, order.version, write.changes, write.events));
        if (updated) {
          if (write.events.length > 0) deps.eventsQueued(order.id);
          return updated;
        }
      }
      throw unavailable('order store (too many concurrent writes)');
    },
  };
}

export type Transitions = ReturnType<typeof createTransitions>;
