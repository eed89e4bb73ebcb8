import DataLoader from 'dataloader';

/**
 * Batches the lookups that arrive together: every `load` the event loop makes before its next
 * `setImmediate` (the requests read from the network in one turn) joins one call of `loadMany`,
 * at most `maxBatchSize` keys each. `loadMany` answers one value per key, in the keys' order; keys
 * may repeat. Nothing is cached between batches: each lookup is as fresh as its own batch.
 * Under load this turns one database or service round trip per request into one per batch.
 */
export function batchPerTick<K, V>(loadMany: (keys: readonly K[]) => Promise<V[]>, maxBatchSize = 100): (key: K) => Promise<V> {
  const loader = new DataLoader<K, V>(loadMany, { cache: false, maxBatchSize, batchScheduleFn: (run) => setImmediate(run) });
  return (key) => loader.load(key);
}
