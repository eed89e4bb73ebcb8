/** A partition whose current message keeps failing: nothing behind it moves until it passes. */
export interface Stall {
  topic: string;
  partition: number;
  offset: number;
  /** When this message first failed (ms since the epoch). */
  since: number;
  attempts: number;
  lastError: string;
}

/** Remembers, per partition, the message being retried; the health route reads it. */
export interface StallTracker {
  failed(where: { topic: string; partition: number; offset: number }, error: string): void;
  /** The partition's message was finished (or given up for redelivery elsewhere). */
  cleared(topic: string, partition: number): void;
  /** Partitions failing on the same message for at least `minMs`. */
  stalls(minMs?: number): Stall[];
}

export function createStallTracker(now: () => number = Date.now): StallTracker {
  const current = new Map<string, Stall>();
  return {
    failed({ topic, partition, offset }, error) {
      const key = `${topic}:${partition}`;
      const known = current.get(key);
      if (known && known.offset === offset) {
        known.attempts++;
        known.lastError = error;
      } else {
        current.set(key, { topic, partition, offset, since: now(), attempts: 1, lastError: error });
      }
    },
    cleared(topic, partition) {
      current.delete(`${topic}:${partition}`);
    },
    stalls(minMs = 0) {
      const cutoff = now() - minMs;
      return [...current.values()].filter((stall) => stall.since <= cutoff).map((stall) => ({ ...stall }));
    },
  };
}
