import { type Principal, requireSelfOrPrivileged } from '@shop/platform/auth';
import { notFound } from '@shop/platform/errors';
import type { Logger } from '@shop/platform/log';
import type { Fact } from './decide.ts';
import type { Address, OrderRecord } from './order.ts';
import type { Carts, Catalog, Inventory, OrderStore, Payments, Users } from './ports.ts';
import { chargePayment, paymentFact } from './saga/charge-payment.ts';
import { priceItems } from './saga/price-items.ts';
import { readCart } from './saga/read-cart.ts';
import { recordOrder } from './saga/record-order.ts';
import { reserveStock } from './saga/reserve-stock.ts';
import { createSaga } from './saga/saga.ts';
import { validateUser } from './saga/validate-user.ts';
import { createTransitions } from './transitions.ts';

export interface OrderDeps {
  store: OrderStore;
  users: Users;
  carts: Carts;
  catalog: Catalog;
  inventory: Inventory;
  payments: Payments;
  logger: Pick<Logger, 'warn' | 'info'>;
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

/** The order rules: placing (a saga of small steps), reacting to payment and stock facts, finishing interrupted orders. */
export function createOrderRules(deps: OrderDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const transitions = createTransitions({ store, eventsQueued: deps.eventsQueued, now });
  const steps = {
    validateUser: validateUser(deps.users),
    readCart: readCart(deps.carts),
    priceItems: priceItems(deps.catalog),
    recordOrder: recordOrder({ store, transitions, eventsQueued: deps.eventsQueued, now }),
    reserveStock: reserveStock({ inventory: deps.inventory, transitions }),
    chargePayment: chargePayment({ payments: deps.payments, transitions }),
  };
  const fail = (order: OrderRecord, reason: string) => transitions.apply(order.id, { kind: 'aborted', reason });

  /** Moves one interrupted order on, from what the other services know about it. */
  async function finish(order: OrderRecord, at: Date): Promise<void> {
    if (at.getTime() - order.createdAt.getTime() > deps.timing.deadlineMs) {
      await fail(order, 'the order was not completed in time');
      return;
    }
    if (order.reservationId === undefined) {
      await fail(order, 'placing was interrupted before the stock was reserved');
      return;
    }
    if (order.facts.paymentSucceeded !== undefined || order.facts.paymentFailed !== undefined) return; // waiting for inventory
    const payment = await deps.payments.findByOrder(order.id);
    if (!payment) {
      await fail(order, 'placing was interrupted before payment');
      return;
    }
    const fact = paymentFact(payment);
    if (fact) await transitions.apply(order.id, fact, { paymentId: payment.id, step: 'charged' });
  }

  return {
    /** Places an order; with an idempotency key already used, returns the first order (`replayed`). */
    async place(principal: Principal, input: PlaceOrder): Promise<{ order: OrderRecord; replayed: boolean }> {
      requireSelfOrPrivileged(principal, input.userId);
      if (input.idempotencyKey !== undefined) {
        const first = await store.findByKey(input.userId, input.idempotencyKey);
        if (first) return { order: first, replayed: true };
      }
      const saga = createSaga(deps.logger);
      await saga.run(steps.validateUser, input.userId);
      const lines = await saga.run(steps.readCart, { userId: input.userId, ...(input.cartId === undefined ? {} : { cartId: input.cartId }) });
      const priced = await saga.run(steps.priceItems, lines);
      const recorded = await saga.run(steps.recordOrder, {
        userId: input.userId,
        ...priced,
        address: input.address,
        paymentMethod: input.paymentMethod,
        ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
      });
      if (!recorded.created) return { order: recorded.order, replayed: true };
      const reserved = await saga.run(steps.reserveStock, recorded.order);
      const charged = await saga.run(steps.chargePayment, reserved);
      return { order: charged, replayed: false };
    },

    /** Records what payment or inventory announced; the status follows from the facts. */
    record: (orderId: string, fact: Fact, extra: Partial<OrderRecord> = {}) => transitions.apply(orderId, fact, extra),

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
      if (!order) throw notFound('Order');
      requireSelfOrPrivileged(principal, order.userId);
      return order;
    },

    listByUser(principal: Principal, userId: string, limit: number, beforeId?: string): Promise<OrderRecord[]> {
      requireSelfOrPrivileged(principal, userId);
      return store.listByUser(userId, limit, beforeId);
    },
  };
}

export type OrderRules = ReturnType<typeof createOrderRules>;
