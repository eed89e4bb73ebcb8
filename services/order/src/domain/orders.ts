import { type Principal, requireSelfOrPrivileged, userShownByToken } from '@shop/platform/auth';
import { notFound } from '@shop/platform/errors';
import type { Logger } from '@shop/platform/log';
import type { Fact } from './decide.ts';
import { type Address, isDraft, type OrderRecord } from './order.ts';
import { chargePayment } from './placing/charge-payment.ts';
import { draftOrder } from './placing/draft-order.ts';
import { priceItems } from './placing/price-items.ts';
import { readCart } from './placing/read-cart.ts';
import { reserveStock } from './placing/reserve-stock.ts';
import { validateUser } from './placing/validate-user.ts';
import type { Carts, Catalog, Inventory, OrderStore, Payments, Users } from './ports.ts';
import { createTransitions } from './transitions.ts';

export interface OrderDeps {
  store: OrderStore;
  users: Users;
  carts: Carts;
  catalog: Catalog;
  inventory: Inventory;
  payments: Payments;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** User tokens are confirmed with user-service (TOKEN_REVOCATION=checked): see userShownByToken. */
  tokensChecked?: boolean;
  /** Called after a write that queued events, so they go out without waiting for the next poll. */
  eventsQueued(id: string): void;
  timing: {
    /** A pending order unchanged for this long counts as interrupted. */
    graceMs: number;
    /** A pending order older than this (reservation TTL plus a margin) is failed, whatever it waits for. */
    deadlineMs: number;
  };
  now?: () => Date;
}

export interface PlaceOrder {
  userId: string;
  cartId?: string;
  address: Address;
  paymentMethod: string;
  idempotencyKey?: string;
}

/**
 * The order rules. Placing goes forward step by step (see README): read and price, write a
 * draft, hold the stock (the order exists from then on), charge. Nothing needs undoing before
 * the stock is held; after it, an order only moves on: charged (again, by the sweeper, while
 * payment-service is away) or failed, which releases the stock and refunds.
 */
export function createOrderRules(deps: OrderDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const transitions = createTransitions({ store, eventsQueued: deps.eventsQueued, now });
  const fail = (order: OrderRecord, reason: string) => transitions.apply(order.id, { kind: 'aborted', reason });
  const charge = (order: OrderRecord) => chargePayment({ payments: deps.payments, transitions, logger: deps.logger }, order);
  /** From a draft: hold the stock, then charge. An order already past that is returned as it is. */
  const carryOn = async (order: OrderRecord, fresh: boolean) => {
    if (!isDraft(order)) return order;
    const reserved = await reserveStock({ inventory: deps.inventory, store, transitions }, order, fresh);
    // Charged or ended by a parallel request with the same key: that is the answer, not a conflict.
    return reserved.status === 'pending' && reserved.step === 'reserved' ? charge(reserved) : reserved;
  };

  /** Moves one interrupted order on, from what the other services know about it. */
  async function finish(order: OrderRecord, at: Date): Promise<void> {
    const late = at.getTime() - order.createdAt.getTime() > deps.timing.deadlineMs;
    if (isDraft(order)) {
      // Nobody heard of it, and any hold it got has expired by now: it can simply go.
      if (late) await store.discardDraft(order.id);
      return;
    }
    if (late) {
      await fail(order, 'the order was not completed in time');
      return;
    }
    if (order.facts.paymentSucceeded !== undefined || order.facts.paymentFailed !== undefined) return; // waiting for inventory
    await charge(order);
  }

  /** Checks the buyer, reads and prices the cart, and writes the draft, unless the key has one: that first order then. */
  async function drafted(principal: Principal, input: PlaceOrder): Promise<{ order: OrderRecord; created: boolean }> {
    if (!userShownByToken(principal, input.userId, deps.tokensChecked === true)) await validateUser(deps.users, input.userId);
    const cart = await readCart(deps.carts, { userId: input.userId, ...(input.cartId === undefined ? {} : { cartId: input.cartId }) });
    const priced = await priceItems(deps.catalog, cart.lines);
    return draftOrder(
      { store, now },
      {
        userId: input.userId,
        ...priced,
        address: input.address,
        paymentMethod: input.paymentMethod,
        ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
        ...(cart.mark === undefined ? {} : { cartMark: cart.mark }),
      },
    );
  }

  return {
    /**
     * Places an order; with an idempotency key already used, returns that order (`replayed`), or
     * carries on placing it when an earlier attempt stopped before its stock was held.
     */
    async place(principal: Principal, input: PlaceOrder): Promise<{ order: OrderRecord; replayed: boolean }> {
      requireSelfOrPrivileged(principal, input.userId);
      // The key is not looked up first: nearly every request is new, and the draft's unique
      // (user, key) finds an earlier attempt when it is written. A request that cannot even get that
      // far (its cart was emptied by the first attempt's order, say) looks for the earlier attempt then.
      let draft: { order: OrderRecord; created: boolean };
      try {
        draft = await drafted(principal, input);
      } catch (error) {
        const first = input.idempotencyKey === undefined ? null : await store.findByKey(input.userId, input.idempotencyKey);
        if (!first) throw error;
        draft = { order: first, created: false };
      }
      // An earlier attempt's order is the answer; still a draft (stopped before its stock was held,
      // or under way in parallel), it is carried on, which is safe to do twice.
      if (!draft.created) return { order: await carryOn(draft.order, false), replayed: true };
      return { order: await carryOn(draft.order, true), replayed: false };
    },

    /** Records what payment or inventory announced; the status follows from the facts. */
    record: (orderId: string, fact: Fact) => transitions.apply(orderId, fact),

    /** Finishes orders a crash or a lost message left pending; returns how many it looked at. */
    async sweep(limit = 100): Promise<number> {
      const at = now();
      const stale = await store.findStale(new Date(at.getTime() - deps.timing.graceMs), new Date(at.getTime() - deps.timing.deadlineMs), limit);
      for (const order of stale) {
        await finish(order, at).catch((err) => deps.logger.warn({ err, orderId: order.id }, 'could not finish the order yet'));
      }
      return stale.length;
    },

    async get(principal: Principal, id: string): Promise<OrderRecord> {
      const order = await store.findById(id);
      // Someone else's order answers exactly like one that does not exist: a 403 would confirm the id.
      const visible = order && !isDraft(order) && (principal.role !== 'customer' || principal.sub === order.userId);
      if (!visible) throw notFound('Order');
      return order;
    },

    listByUser(principal: Principal, userId: string, limit: number, beforeId?: string): Promise<OrderRecord[]> {
      requireSelfOrPrivileged(principal, userId);
      return store.listByUser(userId, limit, beforeId);
    },
  };
}

export type OrderRules = ReturnType<typeof createOrderRules>;
