import { topics } from '@shop/contracts';
import { brokerList } from '@shop/platform/config';
import { kafkaClientOptions, kafkaSecurity } from '@shop/platform/kafka/settings';
import type { Logger } from '@shop/platform/log';
import { createPlatform, type Platform } from '@shop/platform/service';
import { contextFromHeaders } from '@shop/platform/telemetry/context';
import { type GatewayConfig, upstreamsOf } from './config.ts';
import { createKafkaLog } from './dead-letters/kafka-log.ts';
import { createReplayStore } from './dead-letters/replays.ts';
import { registerDeadLetterRoutes } from './dead-letters/routes.ts';
import { createDeadLetterRules } from './dead-letters/rules.ts';
import { registerProxy } from './http/proxy.ts';
import { registerWebApp } from './http/web-app.ts';
import { createOrderHub } from './live/hub.ts';
import { startOrderFeed } from './live/order-feed.ts';
import { registerLiveRoutes } from './live/routes.ts';
import { registerSystemRoutes } from './system/routes.ts';
import { createSystemReader } from './system/system.ts';

/** The composition root: platform → proxy to the seven services, the gateway's own routes, the web app. */
export async function buildGatewayService(config: GatewayConfig, options: { logger?: Logger } = {}): Promise<Platform> {
  const platform = await createPlatform({
    name: 'gateway-service',
    description:
      "The shop's one entry point: serves the web app at /, forwards /api/<service>/<path> to user, product, inventory, cart, order, payment and notification (Authorization passed through; each service documents its own API at /api/<service>/openapi.json), and has its own routes under /api/gateway/.",
    config,
    topics: [topics.orderEvents],
    ...options,
  });
  const upstreams = upstreamsOf(config);
  // Plain Kafka clients of its own, with the platform's brokers, SASL and TLS: one reads the live
  // feed (a poll waits at the broker), one serves the dead-letter pages.
  const kafka = (clientId: string) =>
    createKafkaLog(kafkaClientOptions({ clientId, brokers: brokerList(config.KAFKA_BROKER), security: kafkaSecurity(config) }));
  const feedLog = kafka('gateway-service-live');
  const dlqLog = kafka('gateway-service-dlq');

  const hub = createOrderHub();
  const feed = await startOrderFeed({ log: feedLog, logger: platform.logger, onChange: hub.publish });
  platform.onClose(() => feed.close());
  registerLiveRoutes(platform.http, hub, { heartbeatMs: config.LIVE_HEARTBEAT_MS, maxStreams: config.MAX_LIVE_STREAMS });

  registerSystemRoutes(platform.http, createSystemReader(upstreams));

  platform.onClose(() => dlqLog.close());
  const { db } = platform.mongo;
  const deadLetters = createDeadLetterRules({
    log: dlqLog,
    replays: createReplayStore(db),
    // The replay joins the original event's trace (its produce span is a child of it).
    publish: (topic, event, options) => platform.producer.publish(topic, event, { ...options, parent: contextFromHeaders(options.headers) }),
    staleClaimMs: config.DLQ_REPLAY_STALE_MS,
  });
  registerDeadLetterRoutes(platform.http, deadLetters);

  await registerProxy(platform.http, upstreams, { timeoutMs: config.REQUEST_TIMEOUT_MS });
  await registerWebApp(platform.http, config.WEB_DIST_DIR);
  return platform;
}
