import type { MongoClient } from 'mongodb';
import type { Logger } from '../log.ts';

/**
 * The server checks (heartbeats) the driver's monitor has begun and not finished, by server
 * address. A check that never ends is what leaves a client disconnected for good: seen after a
 * FerretDB outage, when a check began just as the server was shutting down and no success or
 * failure ever followed, so the server stayed "Unknown" and every operation failed server
 * selection (docs/fault-injection.md, "What it found").
 */
export class OpenChecks {
  readonly #startedAt = new Map<string, number>();

  started(address: string, at: number): void {
    this.#startedAt.set(address, at);
  }

  ended(address: string): void {
    this.#startedAt.delete(address);
  }

  forgetAll(): void {
    this.#startedAt.clear();
  }

  /** Addresses whose check has been running for longer than `limitMs` at `now`. */
  stuck(now: number, limitMs: number): string[] {
    return [...this.#startedAt].filter(([, at]) => now - at > limitMs).map(([address]) => address);
  }
}

export interface MonitorWatchdog {
  stop(): void;
}

/**
 * Reconnects the client when a monitor check has run for longer than any legitimate one
 * (connectTimeoutMS plus, for an awaited check, heartbeatFrequencyMS: seconds, not `stuckAfterMs`).
 * `close(true)` then `connect()` keeps the client object, so the Db and collections the stores
 * took from it go on working.
 */
export function watchMonitorChecks(options: { client: MongoClient; logger: Logger; stuckAfterMs: number; everyMs?: number }): MonitorWatchdog {
  const { client, logger, stuckAfterMs } = options;
  const checks = new OpenChecks();
  client.on('serverHeartbeatStarted', (event) => checks.started(event.connectionId, Date.now()));
  client.on('serverHeartbeatSucceeded', (event) => checks.ended(event.connectionId));
  client.on('serverHeartbeatFailed', (event) => checks.ended(event.connectionId));

  let reconnecting = false;
  const timer = setInterval(() => {
    const stuck = checks.stuck(Date.now(), stuckAfterMs);
    if (stuck.length === 0 || reconnecting) return;
    reconnecting = true;
    logger.warn({ servers: stuck, stuckAfterMs }, 'a MongoDB server check never ended; reconnecting the client');
    checks.forgetAll();
    client
      .close(true)
      .then(() => client.connect())
      .then(
        () => logger.info('MongoDB client reconnected'),
        (error: Error) => logger.warn({ err: error.message }, 'MongoDB reconnect failed; the driver keeps trying'),
      )
      .finally(() => {
        reconnecting = false;
      });
  }, options.everyMs ?? Math.min(5000, stuckAfterMs));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
