import { type Principal, requireSelfOrPrivileged, userShownByToken } from '@shop/platform/auth';
import { AppError, notFound } from '@shop/platform/errors';
import {
  type Cart,
  type CartItem,
  type CartLimits,
  checkAdd,
  checkSet,
  MAX_QUANTITY,
  orderedQuantities,
  type ProductAvailability,
  tooManyLines,
  tooManyUnits,
} from './cart.ts';
import { parseMark, type ResetCounts } from './cart-mark.ts';

/** What the cart rules need from storage; the MongoDB store and the unit tests' fake both provide it. */
export interface CartStore {
  /** The user's live cart, or null (none yet, or the user was deleted). */
  find(userId: string): Promise<Cart | null>;
  /** Makes sure an empty cart exists, unless the user was deleted: `closed` then. */
  open(userId: string): Promise<'created' | 'exists' | 'closed'>;
  /**
   * Raises the line by `quantity` if it stays within `max` units and, for a new line, the cart
   * still has fewer than `maxLines` lines — checked in the same atomic write, so concurrent adds
   * cannot pass the limits together. 'units' / 'lines': the limit refused it; null: no cart.
   */
  add(userId: string, productId: string, quantity: number, limits: { max: number; maxLines: number }): Promise<Cart | 'units' | 'lines' | null>;
  /** Sets the line; a new line only while the cart has fewer than `maxLines` lines (atomically). */
  setQuantity(userId: string, productId: string, quantity: number, limits: { maxLines: number }): Promise<Cart | 'lines' | null>;
  removeItem(userId: string, productId: string): Promise<Cart | null>;
  /** Empties the cart; false when there is no live cart. */
  empty(userId: string): Promise<boolean>;
  /** The user is gone: the cart goes, and stays gone (a tombstone refuses later writes). */
  close(userId: string): Promise<void>;
  /** Takes an order's units out of the cart, once per order id however often it is called. */
  /**
   * Takes the order's units out, once per order id; with `at`, the counts the order read, only
   * from lines neither removed, replaced nor emptied since (cart-mark.ts).
   */
  applyOrder(userId: string, orderId: string, quantities: Map<string, number>, at: ResetCounts | null): Promise<void>;
}

/** user-service, as the cart sees it. */
export interface UserDirectory {
  exists(userId: string): Promise<boolean>;
}

/** The catalogue as the cart sees it: does the product exist, and how many units are available (inventory-service, else product-service). */
export interface Catalog {
  availability(productId: string): Promise<ProductAvailability>;
}

export interface CartDeps {
  store: CartStore;
  users: UserDirectory;
  catalog: Catalog;
  limits: CartLimits;
  /** User tokens are confirmed with user-service (TOKEN_REVOCATION=checked): see userShownByToken. */
  tokensChecked?: boolean;
}

const userGone = (field = 'body.userId') => new AppError('NOT_FOUND', 'User not found', { field });
const cartMissing = () => notFound('Cart');
const productMissing = (field: string) => new AppError('NOT_FOUND', 'Product not found', { field });

/** The cart rules: what customers may do with their cart, and what events do to it. */
export function createCartRules(deps: CartDeps) {
  const { store, users, catalog, limits } = deps;

  async function product(productId: string, field: string): Promise<number | null> {
    const found = await catalog.availability(productId);
    if (!found.found) throw productMissing(field);
    return found.available;
  }

  /**
   * Checks the user (at user-service, unless the caller's checked token just showed them) and the
   * product at their services, side by side; the product's available stock (null: unknown).
   */
  async function checkedProduct(principal: Principal, userId: string, productId: string, at: { user: string; product: string }) {
    const shown = userShownByToken(principal, userId, deps.tokensChecked === true);
    const [exists, available] = await Promise.all([shown || users.exists(userId), product(productId, at.product)]);
    if (!exists) throw userGone(at.user);
    return available;
  }

  /**
   * `checkedProduct`, then reads the user's cart, opening an empty one when user-created was not
   * consumed yet (so `current` is null only for a cart just opened). Nothing is written unless both
   * checks pass; a deleted user is a 404 (their cart is a tombstone).
   */
  async function checkedCart(principal: Principal, userId: string, productId: string, at: { user: string; product: string }) {
    const available = await checkedProduct(principal, userId, productId, at);
    return { current: await openedCart(userId, at.user), available };
  }

  /** The user's cart, or null after opening an empty one (user-created not consumed yet); a deleted user is a 404. */
  async function openedCart(userId: string, field: string): Promise<Cart | null> {
    const current = await store.find(userId);
    if (!current && (await store.open(userId)) === 'closed') throw userGone(field);
    return current;
  }

  return {
    /**
     * Checks the user and the product, then merges the units into the cart (created on first use).
     * The cart is not read first: the write itself refuses a line that would pass the stock or the
     * per-line maximum, or a line too many, and only a refusal reads the cart, to say which.
     */
    async add(principal: Principal, input: { userId: string; productId: string; quantity: number }): Promise<Cart> {
      const { userId, productId, quantity } = input;
      requireSelfOrPrivileged(principal, userId);
      const available = await checkedProduct(principal, userId, productId, { user: 'body.userId', product: 'body.productId' });
      // Unknown stock (inventory down) does not block the cart: the order reserves stock for real.
      const max = available === null ? MAX_QUANTITY : Math.min(MAX_QUANTITY, available);
      const write = () => store.add(userId, productId, quantity, { max, maxLines: limits.maxLines });
      let updated = quantity > max ? ('units' as const) : await write();
      // No cart: user-created was not consumed yet (open one), or the user was deleted (a tombstone).
      if (updated === null && (await store.open(userId)) !== 'closed') updated = await write();
      if (updated === null) throw userGone();
      if (updated === 'units' || updated === 'lines') {
        checkAdd(await openedCart(userId, 'body.userId'), productId, quantity, available, limits); // throws the reason, as the cart stands
        throw updated === 'units' ? tooManyUnits(productId) : tooManyLines(limits.maxLines, 'body.productId'); // it changed meanwhile
      }
      return updated;
    },

    async get(principal: Principal, userId: string): Promise<Cart> {
      requireSelfOrPrivileged(principal, userId);
      const cart = await store.find(userId);
      if (!cart) throw cartMissing();
      return cart;
    },

    /** Checks the user and the product like `add`, then sets the line (the cart is created on first use). */
    async setQuantity(principal: Principal, userId: string, productId: string, quantity: number): Promise<Cart> {
      requireSelfOrPrivileged(principal, userId);
      const { current, available } = await checkedCart(principal, userId, productId, { user: 'params.userId', product: 'params.productId' });
      checkSet(current, productId, quantity, available, limits);
      const updated = await store.setQuantity(userId, productId, quantity, limits);
      if (updated === 'lines') throw tooManyLines(limits.maxLines, 'params.productId');
      if (!updated) throw userGone('params.userId');
      return updated;
    },

    async removeItem(principal: Principal, userId: string, productId: string): Promise<Cart> {
      requireSelfOrPrivileged(principal, userId);
      const updated = await store.removeItem(userId, productId);
      if (!updated) throw cartMissing();
      return updated;
    },

    async clear(principal: Principal, userId: string): Promise<void> {
      requireSelfOrPrivileged(principal, userId);
      if (!(await store.empty(userId))) throw cartMissing();
    },

    userCreated: (userId: string) => store.open(userId),
    userDeleted: (userId: string) => store.close(userId),
    orderConfirmed: (order: { orderId: string; userId: string; items: readonly CartItem[]; cartMark?: string }) =>
      store.applyOrder(order.userId, order.orderId, orderedQuantities(order.items), parseMark(order.cartMark)),
  };
}

export type CartRules = ReturnType<typeof createCartRules>;
