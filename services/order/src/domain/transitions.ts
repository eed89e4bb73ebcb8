import { isDeepStrictEqual } from 'node:util';
import { unavailable } from '@shop/platform/errors';
import { decide, type Fact, withFact } from './decide.ts';
import { isDraft, type OrderRecord, orderEventEntry } from './order.ts';
import type { OrderStore } from './ports.ts';

/**
 * The one way an order changes: read it, add the fact, let `decide` pick the status, and write
 * state, fact and event in one conditional update. A write that lost a race is re-read and
 * retried, so facts from HTTP, consumers and the sweeper are all kept; a terminal order is left as it is.
 */
export function createTransitions(deps: { store: OrderStore; eventsQueued(id: string): void; now?: () => Date }) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    /** `announce`: publish order.created with this change (the draft became a real order). */
    async apply(orderId: string, fact: Fact | null, extra: Partial<OrderRecord> = {}, options: { announce?: boolean } = {}): Promise<OrderRecord | null> {
      for (let attempt = 0; attempt < 20; attempt++) {
        const order = await store.findById(orderId);
        if (order?.status !== 'pending') return order;
        // News about a draft is about a hold it never learnt of (it expired): the draft just goes at its deadline.
        if (fact && isDraft(order)) return order;
        const announce = options.announce === true && isDraft(order);
        const facts = fact ? withFact(order.facts, fact) : order.facts;
        const decision = decide(order.status, facts);
        const unchanged = isDeepStrictEqual(facts, order.facts) && Object.entries(extra).every(([k, v]) => isDeepStrictEqual(order[k as keyof OrderRecord], v));
        if (!decision && !announce && unchanged) return order;
        const changes: Partial<OrderRecord> = { ...extra, facts, updatedAt: now() };
        if (decision) {
          changes.status = decision.status;
          if ('reason' in decision) changes.reason = decision.reason;
        }
        const events = decision || announce ? [orderEventEntry({ ...order, ...changes })] : [];
        const updated = await store.update(order.id, order.version, changes, events);
        if (updated) {
          if (events.length > 0) deps.eventsQueued(order.id);
          return updated;
        }
      }
      throw unavailable('order store (too many concurrent writes)');
    },
  };
}

export type Transitions = ReturnType<typeof createTransitions>;
