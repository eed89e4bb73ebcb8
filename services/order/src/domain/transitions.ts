import { isDeepStrictEqual } from 'node:util';
import { unavailable } from '@shop/platform/errors';
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
 * The one way an order changes: read it, add the change, let `decide` pick the status, and write
 * state, fact and event in one conditional update. A write that lost a race is re-read and
 * retried, so changes from HTTP, consumers and the sweeper are all kept; a terminal order is left as it is.
 */
export function createTransitions(deps: { store: OrderStore; eventsQueued(id: string): void; now?: () => Date }) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** `known`: the order as the caller just read or wrote it, saving the first read (a stale one only costs a retry). */
    async apply(orderId: string, change: OrderChange, known?: OrderRecord): Promise<OrderRecord | null> {
      for (let attempt = 0; attempt < 20; attempt++) {
        const fromCaller = attempt === 0 && known !== undefined;
        const order = fromCaller ? known : await store.findById(orderId);
        const write = order && writeOf(order, change, now());
        if (!order || !write) {
          // An answer without a write comes from the stored order, never from the caller's copy.
          if (fromCaller) continue;
          return order;
        }
        const updated = await store.update(order.id, order.version, write.changes, write.events);
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
