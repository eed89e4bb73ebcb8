/** Runs `work` after every earlier piece of work under the same key has finished. */
export type KeyedLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * Serializes this process's writes per document (key: the document id). Every store of a
 * service and its outbox relay share one lock (`platform.lock`). FerretDB 1.24 on SQLite applies an update as
 * read, modify in memory, write back, without isolation, so two concurrent updates of one
 * document can lose one of them (even a guarded `$inc`). On MongoDB the lock costs little: a
 * document's writes are serialized there anyway.
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>();
  return (key, work) => {
    const result = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(
      () => {},
      () => {},
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
