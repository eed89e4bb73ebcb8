import type { Principal } from '@shop/platform/auth';
import type { OrderChange } from './order-change.ts';

/** One open live stream: what it may see and where its changes go. */
export interface Listener {
  principal: Principal;
  send(change: OrderChange): void;
  /** Ends the stream (the gateway is shutting down). */
  end(): void;
}

/** A customer sees their own orders; an admin (or a service) sees every order. */
export const maySee = (principal: Principal, change: OrderChange) => principal.role !== 'customer' || principal.sub === change.userId;

/** Fans the order changes read from Kafka out to the open live streams of this process. */
export function createOrderHub() {
  const listeners = new Set<Listener>();
  return {
    /** Adds a stream; the returned function removes it. */
    add(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(change: OrderChange): void {
      for (const listener of listeners) if (maySee(listener.principal, change)) listener.send(change);
    },
    get size() {
      return listeners.size;
    },
    /** Ends every stream, so a graceful shutdown does not wait for pages that never close. */
    endAll(): void {
      for (const listener of [...listeners]) listener.end();
      listeners.clear();
    },
  };
}

export type OrderHub = ReturnType<typeof createOrderHub>;
