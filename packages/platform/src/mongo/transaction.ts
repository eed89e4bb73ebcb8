import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientSession, MongoClient } from 'mongodb';

/** Runs `work` so that every store write inside it commits together or not at all. */
export type Atomically = <T>(work: () => Promise<T>) => Promise<T>;

const current = new AsyncLocalStorage<ClientSession>();

/**
 * Multi-document transactions without threading a session through every port: the domain asks
 * for `atomically(() => ...)`, and the stores spread `inTransaction()` into each operation's
 * options. Inside a transaction already, `work` simply joins it. A transient failure (a write
 * conflict with a concurrent writer) runs `work` again from the start, so it must only read and
 * write through the stores (no other side effects); the driver gives up after 120 s.
 */
export function createAtomically(client: MongoClient): Atomically {
  return (work) => {
    if (current.getStore()) return work();
    return client.withSession((session) => session.withTransaction(() => current.run(session, work)));
  };
}

/** `{ session }` inside `atomically`, else nothing: spread it into every operation's options. */
export function inTransaction(): { session?: ClientSession } {
  const session = current.getStore();
  return session ? { session } : {};
}
