import { fromMinor, toMinor } from '@shop/contracts';
import type { Principal } from '@shop/platform/auth';
import { conflict, forbidden, notFound, unavailable } from '@shop/platform/errors';
import type { PaymentGateway } from './gateway.ts';
import type { PaymentDomainEvent, PaymentRecord, PaymentStatus } from './payment.ts';

/** What the payment rules need from storage; the MongoDB store and the unit tests' fake both provide it. */
export interface PaymentStore {
  newId(): string;
  /** Inserts; false when the order already has a payment (one per order, enforced by a unique index). */
  insert(payment: PaymentRecord): Promise<boolean>;
  findById(id: string): Promise<PaymentRecord | null>;
  findByOrder(orderId: string): Promise<PaymentRecord | null>;
  /** Visible payments, newest first, optionally of one order or user, before the cursor id. */
  list(filter: { orderId?: string; userId?: string }, limit: number, beforeId?: string): Promise<PaymentRecord[]>;
  /** Applies `changes` and queues `events` in one write, only while the payment is still `from`; null otherwise. */
  transition(id: string, from: PaymentStatus, changes: Partial<PaymentRecord>, events: PaymentDomainEvent[]): Promise<PaymentRecord | null>;
  /** Payments still `processing` that were created before `before`. */
  findUnfinished(before: Date, limit: number): Promise<PaymentRecord[]>;
}

/** The order as payment-service needs to see it (amounts in cents). */
export interface OrderView {
  id: string;
  userId: string;
  status: string;
  totalMinor: number;
  currency: string;
  reservationId?: string;
}

/** Lookups in the services payment-service trusts for users and orders. */
export interface Directory {
  userExists(userId: string): Promise<boolean>;
  findOrder(orderId: string): Promise<OrderView | null>;
}

export interface PaymentDeps {
  store: PaymentStore;
  gateway: PaymentGateway;
  directory: Directory;
  /** Called after a write that queued events in this payment's document, so they go out at once. */
  eventsQueued(id: string): void;
  now?: () => Date;
}

export interface ChargeInput {
  orderId: string;
  userId: string;
  reservationId: string;
  amount: number;
  method: string;
  currency?: string;
}

/**
 * order-service charges an order right after holding its stock, with its own service credential:
 * it has just checked the user and priced the order itself, so asking it back (and user-service)
 * would only add two calls to every checkout. Anyone else (a customer paying their own order, an
 * admin) is checked against order- and user-service.
 */
const trustsOrderFacts = (principal: Principal) => principal.role === 'service' && principal.sub === 'order-service';

/** The facts of a closed (failed or cancelled) order a refund or a void needs. */
export interface ClosedOrder {
  orderId: string;
  userId: string;
  reservationId?: string;
  totalMinor: number;
  currency: string;
}

/** The payment rules: one charge per order, finished even after a crash, refunded when the order does not go through. */
export function createPaymentRules(deps: PaymentDeps) {
  const { store, gateway, directory } = deps;
  const now = deps.now ?? (() => new Date());

  /** Brings a `processing` payment to its result: the gateway answers a repeated key with the same result, without charging again. */
  async function settle(payment: PaymentRecord): Promise<PaymentRecord> {
    if (payment.status !== 'processing') return payment;
    const result = await gateway.charge({ idempotencyKey: payment.id, amountMinor: payment.amountMinor, currency: payment.currency, method: payment.method });
    const at = now();
    const changes: Partial<PaymentRecord> = { status: result.status, updatedAt: at, ...(result.status === 'failure' ? { reason: result.reason } : {}) };
    const kind = result.status === 'success' ? 'paymentSucceeded' : 'paymentFailed';
    const done = await store.transition(payment.id, 'processing', changes, [{ kind, payment: { ...payment, ...changes } }]);
    if (done) {
      deps.eventsQueued(payment.id);
      return done;
    }
    // Someone else (a parallel retry, the sweeper) wrote the result first: theirs stands.
    const current = await store.findById(payment.id);
    if (!current) throw unavailable('payment store');
    return current;
  }

  /** A second request for an order that already has a payment: the same payment, if it is really the same request. */
  function replay(principal: Principal, existing: PaymentRecord, input: ChargeInput, amountMinor: number): Promise<PaymentRecord> {
    if (existing.status === 'voided') throw conflict('The order was closed; it can no longer be paid', { orderId: existing.orderId });
    if (principal.role === 'customer' && existing.userId !== principal.sub) throw forbidden();
    if (existing.userId !== input.userId || existing.amountMinor !== amountMinor || existing.method !== input.method) {
      throw conflict('This order already has a payment with other details', { paymentId: existing.id });
    }
    return settle(existing);
  }

  async function checkOrder(principal: Principal, input: ChargeInput, amountMinor: number): Promise<OrderView> {
    if (!(await directory.userExists(input.userId))) throw notFound('User');
    const order = await directory.findOrder(input.orderId);
    if (!order) throw notFound('Order');
    if (order.userId !== input.userId) {
      if (principal.role === 'customer') throw forbidden('This order is not yours');
      throw conflict('userId is not the order’s user', { field: 'userId' });
    }
    if (order.status !== 'pending') throw conflict(`The order is ${order.status}; it can no longer be paid`, { orderStatus: order.status });
    if (amountMinor !== order.totalMinor) throw conflict('amount must equal the order total', { field: 'amount', expected: fromMinor(order.totalMinor) });
    if (order.reservationId !== undefined && order.reservationId !== input.reservationId) {
      throw conflict('reservationId is not the order’s reservation', { field: 'reservationId' });
    }
    return order;
  }

  /** Refunds the order's successful payment; with `voidAs`, an order without a payment gets a `voided` placeholder. */
  async function refund(orderId: string, reason: string, voidAs?: ClosedOrder): Promise<'refunded' | 'voided' | 'unchanged'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await store.findByOrder(orderId);
      if (!found) {
        if (!voidAs) return 'unchanged';
        if (await store.insert(placeholder(voidAs, reason))) return 'voided';
        continue;
      }
      const payment = await settle(found);
      if (payment.status !== 'success') return 'unchanged';
      const at = now();
      const changes: Partial<PaymentRecord> = { status: 'refunded', refundReason: reason, updatedAt: at };
      const refunded = await store.transition(payment.id, 'success', changes, [{ kind: 'paymentRefunded', payment: { ...payment, ...changes } }]);
      if (refunded) {
        deps.eventsQueued(payment.id);
        return 'refunded';
      }
    }
    throw unavailable('payment store');
  }

  function placeholder(order: ClosedOrder, reason: string): PaymentRecord {
    const at = now();
    return {
      id: store.newId(),
      orderId: order.orderId,
      userId: order.userId,
      reservationId: order.reservationId ?? '',
      amountMinor: order.totalMinor,
      currency: order.currency,
      method: 'none',
      status: 'voided',
      reason,
      createdAt: at,
      updatedAt: at,
    };
  }

  return {
    settle,

    /** Charges an order once: checks it, records `processing`, asks the gateway, records the result with its event. */
    async charge(principal: Principal, input: ChargeInput): Promise<PaymentRecord> {
      if (principal.role === 'customer' && principal.sub !== input.userId) throw forbidden();
      const amountMinor = toMinor(input.amount);
      const trusted = trustsOrderFacts(principal);
      // Anyone else is checked against order-service, which refuses an order no longer pending: a
      // repeat of their charge must find the payment first. order-service's charge is usually the
      // first: the insert below finds a repeat (the unique orderId), which saves a read per checkout.
      if (!trusted) {
        const existing = await store.findByOrder(input.orderId);
        if (existing) return replay(principal, existing, input, amountMinor);
      }
      const currency = trusted ? (input.currency ?? 'USD') : (await checkOrder(principal, input, amountMinor)).currency;
      const at = now();
      const payment: PaymentRecord = {
        id: store.newId(),
        orderId: input.orderId,
        userId: input.userId,
        reservationId: input.reservationId,
        amountMinor,
        currency,
        method: input.method,
        status: 'processing',
        createdAt: at,
        updatedAt: at,
      };
      if (await store.insert(payment)) return settle(payment);
      const winner = await store.findByOrder(input.orderId);
      if (!winner) throw unavailable('payment store');
      return replay(principal, winner, input, amountMinor);
    },

    /**
     * The order did not go through: refund its successful payment, or take its payment slot so
     * that a charge arriving late is refused. Safe to repeat.
     */
    closeOrder: (order: ClosedOrder, reason: string) => refund(order.orderId, reason, order),

    /** The stock of a paid order could not be committed: refund the payment. Safe to repeat. */
    refundForReservation: (orderId: string, reason: string) => refund(orderId, reason),

    /** Finishes charges a crashed process left `processing` for longer than the grace period. */
    async sweep(graceMs: number, limit = 100): Promise<number> {
      const stuck = await store.findUnfinished(new Date(now().getTime() - graceMs), limit);
      for (const payment of stuck) await settle(payment);
      return stuck.length;
    },

    async get(principal: Principal, id: string): Promise<PaymentRecord> {
      const payment = await store.findById(id);
      if (!payment || payment.status === 'voided') throw notFound('Payment');
      if (principal.role === 'customer' && payment.userId !== principal.sub) throw forbidden();
      return payment;
    },

    /** Customers see only their own payments; admins and services see all. */
    list(principal: Principal, filter: { orderId?: string; userId?: string }, limit: number, beforeId?: string): Promise<PaymentRecord[]> {
      if (principal.role === 'customer') {
        if (filter.userId !== undefined && filter.userId !== principal.sub) throw forbidden();
        return store.list({ ...filter, userId: principal.sub }, limit, beforeId);
      }
      return store.list(filter, limit, beforeId);
    },
  };
}

export type PaymentRules = ReturnType<typeof createPaymentRules>;
