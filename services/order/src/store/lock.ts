/** Runs `work` after every earlier piece of work under the same key has finished. */
export type KeyedLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * Serializes this process's writes per document. FerretDB 1.24 on SQLite applies an update as
 * read, modify in memory, write back, without isolation: two concurrent updates of one document
 * can lose one of them (a guarded `findOneAndUpdate` can even succeed twice). On MongoDB the lock
 * costs little, a document's writes are serialized there anyway. (The same remedy as
 * services/inventory; it belongs in the platform.)
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
