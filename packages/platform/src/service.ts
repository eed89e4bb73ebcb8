import type { Static, TObject } from 'typebox';
import { type Auth, createAuth } from './auth.ts';
import { type baseConfigProperties, brokerList } from './config.ts';
import { createServiceClient, type ServiceClient } from './http/client.ts';
import { createHttpServer, type HttpApp } from './http/server.ts';
import { createEventConsumer } from './kafka/consumer.ts';
import { createEventProducer } from './kafka/producer.ts';
import { ensureTopics } from './kafka/topics.ts';
import { createLogger, type Logger } from './log.ts';
import { connectMongo, type Mongo } from './mongo/connect.ts';
import { createDedupStore } from './mongo/dedup.ts';
import { createOutboxRelay, type OutboxRelay } from './mongo/outbox.ts';
import { type SweepResult, startSweeper } from './sweeper.ts';
import { flushSpans } from './telemetry/context.ts';

type BaseConfig = Static<TObject<typeof baseConfigProperties>>;
type ConsumerOptions = Parameters<typeof createEventConsumer>[0];

/** The infrastructure one service process runs on, built once in its composition root. */
export interface Platform {
  name: string;
  logger: Logger;
  auth: Auth;
  mongo: Mongo;
  producer: ReturnType<typeof createEventProducer>;
  http: HttpApp;
  /** A client for another service, carrying this service's credential. */
  client(name: string, baseUrl: string): ServiceClient;
  /** Relays the outboxes of these collections to Kafka until shutdown. */
  startOutboxRelay(collectionNames: string[]): OutboxRelay;
  /** Consumes topics in this service's consumer group (`<name>`), deduplicating by event id (ids kept `DEDUP_RETENTION_SECONDS`). */
  startConsumer(handlers: ConsumerOptions['handlers'], options?: { groupId?: string }): Promise<void>;
  /** Runs `run` periodically (see sweeper.ts) until shutdown. */
  startSweeper(name: string, everyMs: number, run: () => Promise<SweepResult>): void;
  /** Runs `close` at shutdown, before the connections it may need are closed (e.g. a sweeper). */
  onClose(close: () => Promise<void>): void;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<string>;
  /** Graceful shutdown: stop taking requests, finish in-flight work, then close connections. */
  close(): Promise<void>;
}

export interface PlatformOptions {
  name: string;
  description?: string;
  config: BaseConfig;
  /** Topics this service produces or consumes; created (with their DLQs) at start. */
  topics: string[];
  logger?: Logger;
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { name, config } = options;
  const logger = options.logger ?? createLogger({ service: name, level: config.LOG_LEVEL });
  const brokers = brokerList(config.KAFKA_BROKER);
  const auth = createAuth({ secret: config.JWT_SECRET, ttlSeconds: config.TOKEN_TTL_SECONDS, serviceName: name });
  const mongo = await connectMongo({ uri: config.MONGO_URI, dbName: config.MONGO_DB, logger });
  await ensureTopics({ brokers, clientId: name, topics: options.topics });
  const producer = createEventProducer({ brokers, clientId: name, logger });
  const closers: (() => Promise<void>)[] = [];

  const http = await createHttpServer({
    service: name,
    description: options.description,
    logger,
    auth,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxInFlight: config.MAX_IN_FLIGHT,
    readiness: { mongo: mongo.ping, kafka: async () => producer.isConnected() },
  });

  return {
    name,
    logger,
    auth,
    mongo,
    producer,
    http,
    client: (target, baseUrl) => createServiceClient({ name: target, baseUrl, timeoutMs: config.HTTP_TIMEOUT_MS, serviceToken: auth.serviceToken }),
    startOutboxRelay(collectionNames) {
      const collections = collectionNames.map((collection) => mongo.db.collection(collection));
      const relay = createOutboxRelay({ collections, publisher: producer, logger, pollMs: config.OUTBOX_POLL_MS });
      relay.start();
      closers.push(() => relay.stop());
      return relay;
    },
    async startConsumer(handlers, consumerOptions = {}) {
      const dedup = createDedupStore(mongo.db);
      await dedup.expireAfter(config.DEDUP_RETENTION_SECONDS);
      const consumer = createEventConsumer({
        brokers,
        clientId: name,
        groupId: consumerOptions.groupId ?? config.KAFKA_GROUP_ID ?? name,
        logger,
        handlers,
        producer,
        dedup,
      });
      await consumer.start();
      closers.push(() => consumer.close());
    },
    startSweeper(sweepName, everyMs, run) {
      const sweeper = startSweeper({ name: sweepName, everyMs, run, logger });
      closers.push(() => sweeper.stop());
    },
    onClose: (close) => {
      closers.push(close);
    },
    listen: () => http.listen({ port: config.PORT, host: config.HOST }),
    async close() {
      await http.close();
      for (const close of closers.reverse()) await close().catch((err) => logger.warn({ err }, 'error while closing'));
      await producer.close().catch(() => {});
      await mongo.close().catch(() => {});
      await flushSpans();
    },
  };
}

/** Runs a service process: starts it, and shuts it down gracefully on SIGTERM/SIGINT. */
export async function runService(start: () => Promise<Platform>): Promise<void> {
  let platform: Platform | undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    platform?.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await platform?.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  try {
    platform = await start();
    const address = await platform.listen();
    platform.logger.info({ address }, 'listening');
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
