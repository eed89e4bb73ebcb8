import type { Static, TObject } from 'typebox';
import { createAccessCheck } from './access.ts';
import { type Auth, createAuth } from './auth.ts';
import { type baseConfigProperties, brokerList } from './config.ts';
import { createServiceClient, type ServiceClient } from './http/client.ts';
import type { ReadinessChecks } from './http/health.ts';
import { createHttpServer, type HttpApp } from './http/server.ts';
import { type Limit, throttle } from './http/throttle.ts';
import { createUserDirectory } from './http/user-directory.ts';
import { createEventConsumer } from './kafka/consumer.ts';
import { createEventProducer } from './kafka/producer.ts';
import { kafkaSecurity, topicSettings } from './kafka/settings.ts';
import { ensureTopics, missingTopics, waitForTopics, withDlqs } from './kafka/topics.ts';
import { parseVerifyKeys } from './keys.ts';
import { createLogger, type Logger } from './log.ts';
import { connectMongo, type Mongo } from './mongo/connect.ts';
import { createOutboxRelay, type OutboxRelay } from './mongo/outbox.ts';
import { createRateCounter } from './mongo/rate-counter.ts';
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
  /** Consumes topics in this service's consumer group (`<name>`); a message delivered again is handled again (handlers are idempotent). */
  startConsumer(handlers: ConsumerOptions['handlers'], options?: { groupId?: string }): Promise<void>;
  /** Runs `run` periodically (see sweeper.ts) until shutdown. */
  startSweeper(name: string, everyMs: number, run: () => Promise<SweepResult>): void;
  /** A preHandler answering 429 once any of `limits` is spent; counted in the database, so over all replicas. */
  throttle(limits: Limit[]): ReturnType<typeof throttle>;
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
  /**
   * Topics this service produces or consumes; created (with their DLQs) at start, or with
   * `KAFKA_CREATE_TOPICS=false` only waited for (not ready until they exist).
   */
  topics: string[];
  logger?: Logger;
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { name, config } = options;
  const logger = options.logger ?? createLogger({ service: name, level: config.LOG_LEVEL });
  const brokers = brokerList(config.KAFKA_BROKER);
  const auth = createAuth({
    serviceName: name,
    ttlSeconds: config.TOKEN_TTL_SECONDS,
    signingKey: config.TOKEN_SIGNING_KEY,
    verifyKeys: parseVerifyKeys(config.TOKEN_VERIFY_KEYS),
  });
  const security = kafkaSecurity(config);
  const topicConfig = topicSettings(config);
  const kafka = { brokers, clientId: name, security };
  const mongo = await connectMongo({ uri: config.MONGO_URI, dbName: config.MONGO_DB, logger });
  const topics = await topicsOf(options.topics);
  const producer = createEventProducer({ ...kafka, logger });
  const closers: (() => Promise<void>)[] = [];
  const consumers: ReturnType<typeof createEventConsumer>[] = [];
  // `kafka-consumer` joins once the service consumes (startConsumer).
  const dependencyChecks: ReadinessChecks = { kafka: async () => producer.isConnected() };

  // Production creates topics with a job (the cluster's replication settings, and services need
  // no right to create them): then a service only checks they exist, and is not ready until then.
  async function topicsOf(names: string[]) {
    const ready = { present: false, watch: new AbortController(), arrived: Promise.resolve(true) };
    if (topicConfig.create) {
      await ensureTopics({ ...kafka, topics: names, ...topicConfig, logger });
      ready.present = true;
      return ready;
    }
    ready.arrived = waitForTopics({ ...kafka, topics: withDlqs(names), signal: ready.watch.signal, logger }).then((present) => {
      if (present) logger.info({ topics: names }, 'Kafka topics present');
      ready.present = present;
      return present;
    });
    return ready;
  }
  /** Runs `start` now when the topics exist, else once they do (the service starts anyway, not ready). */
  async function whenTopicsExist(what: string, start: () => Promise<void> | void): Promise<void> {
    if (topics.present) return start();
    void topics.arrived
      .then(async (present) => {
        if (present) await start();
      })
      .catch((err) => logger.error({ err }, `${what} could not start`));
  }

  const http = await createHttpServer({
    service: name,
    description: options.description,
    logger,
    auth,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxInFlight: config.MAX_IN_FLIGHT,
    // Kafka down only delays events (the outbox keeps them), so readiness does not depend on it.
    readiness: { mongo: mongo.ping, topics: async () => topics.present },
    dependencies: {
      checks: dependencyChecks,
      stalls: () => consumers.flatMap((consumer) => consumer.stalls(config.KAFKA_CONSUMER_STUCK_AFTER_MS)),
    },
    trustedProxies: config.TRUSTED_PROXIES,
  });
  const rateCounter = createRateCounter(mongo.db);
  const client = (target: string, baseUrl: string) =>
    createServiceClient({ name: target, baseUrl, timeoutMs: config.HTTP_TIMEOUT_MS, serviceToken: () => auth.serviceToken(target) });
  // User tokens are confirmed with user-service (user-service itself replaces this with its own store).
  if (config.TOKEN_REVOCATION === 'checked')
    auth.useAccessCheck(
      createAccessCheck({ lookup: createUserDirectory(client('user-service', config.USER_SERVICE_URL)).access, freshMs: config.TOKEN_CHECK_INTERVAL_MS }),
    );

  return {
    name,
    logger,
    auth,
    mongo,
    producer,
    http,
    client,
    throttle: (limits) => throttle(rateCounter, limits),
    startOutboxRelay(collectionNames) {
      const collections = collectionNames.map((collection) => mongo.db.collection(collection));
      // This service's own topics were seen to exist at start: "unknown" for one of them is a broker
      // restarting (its metadata not loaded yet), never a reason to set an event aside. Any other
      // topic in an outbox is a bug; the cluster confirms it is missing.
      const declared = new Set(withDlqs(options.topics));
      const topicExists = async (topic: string) => declared.has(topic) || (await missingTopics({ ...kafka, topics: [topic] })).length === 0;
      const relay = createOutboxRelay({ collections, publisher: producer, logger, pollMs: config.OUTBOX_POLL_MS, topicExists });
      void whenTopicsExist('outbox relay', () => relay.start());
      closers.push(() => relay.stop());
      return relay;
    },
    async startConsumer(handlers, consumerOptions = {}) {
      const consumer = createEventConsumer({
        ...kafka,
        groupId: consumerOptions.groupId ?? config.KAFKA_GROUP_ID ?? name,
        logger,
        handlers,
        producer,
      });
      consumers.push(consumer);
      dependencyChecks['kafka-consumer'] = async () => consumers.every((c) => c.isConnected());
      closers.push(() => consumer.close());
      await whenTopicsExist('Kafka consumer', () => consumer.start());
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
      topics.watch.abort();
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
