import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { type Static, type TObject, type TProperties, Type } from 'typebox';

/**
 * Kafka settings every service shares (besides `KAFKA_BROKER`): how to authenticate and encrypt,
 * how topics are made, and when a consumer counts as stuck. docs/kafka-security.md explains them
 * for operators.
 */
export const kafkaConfigProperties = {
  KAFKA_SASL_MECHANISM: Type.Optional(
    Type.Union([Type.Literal('SCRAM-SHA-256'), Type.Literal('SCRAM-SHA-512'), Type.Literal('PLAIN')], {
      description: 'SASL mechanism for the brokers (unset: no authentication); needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    }),
  ),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1, description: "This service's Kafka user" })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: "This service's Kafka password" })),
  KAFKA_TLS: Type.Boolean({ default: false, description: 'Connect to the brokers with TLS (also implied by KAFKA_TLS_CA_FILE)' }),
  KAFKA_TLS_CA_FILE: Type.Optional(
    Type.String({ minLength: 1, description: "PEM file of the CA that signed the brokers' certificates (unset: the system's CAs)" }),
  ),
  KAFKA_CREATE_TOPICS: Type.Boolean({
    default: true,
    description: 'Create missing topics at start (local runs, tests). false: only check they exist, and stay not ready until they do',
  }),
  KAFKA_TOPIC_PARTITIONS: Type.Integer({ default: 3, minimum: 1, description: 'Partitions of a topic this service creates' }),
  KAFKA_REPLICATION_FACTOR: Type.Integer({ default: 1, minimum: 1, description: 'Replication factor of a topic this service creates' }),
  KAFKA_MIN_INSYNC_REPLICAS: Type.Integer({
    default: 1,
    minimum: 1,
    description: 'min.insync.replicas of a topic this service creates (at most KAFKA_REPLICATION_FACTOR)',
  }),
  KAFKA_CONSUMER_STUCK_AFTER_MS: Type.Integer({
    default: 60_000,
    minimum: 0,
    description: 'How long one message may keep failing before /health/dependencies reports its partition stuck',
  }),
} satisfies TProperties;

export type KafkaSettings = Static<TObject<typeof kafkaConfigProperties>>;

/** Authentication and encryption of every Kafka client of a process (producer, consumer, admin). */
export interface KafkaSecurity {
  sasl?: { mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN'; username: string; password: string };
  tls?: TlsOptions;
}

/** Where topics are checked or created, and how. */
export interface TopicSettings {
  create: boolean;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** The security settings from configuration; throws naming the variable when they do not fit together. */
export function kafkaSecurity(settings: KafkaSettings, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): KafkaSecurity {
  const security: KafkaSecurity = {};
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = settings;
  if (mechanism) {
    if (!username || !password) throw new Error(`Invalid configuration: KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
    security.sasl = { mechanism, username, password };
  } else if (username || password) {
    throw new Error('Invalid configuration: KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but KAFKA_SASL_MECHANISM is not');
  }
  if (settings.KAFKA_TLS || settings.KAFKA_TLS_CA_FILE) {
    security.tls = settings.KAFKA_TLS_CA_FILE ? { ca: readFile(settings.KAFKA_TLS_CA_FILE) } : {};
  }
  return security;
}

/** The topic settings from configuration; min ISR above the replication factor would make every write fail. */
export function topicSettings(settings: KafkaSettings): TopicSettings {
  if (settings.KAFKA_MIN_INSYNC_REPLICAS > settings.KAFKA_REPLICATION_FACTOR) {
    throw new Error('Invalid configuration: KAFKA_MIN_INSYNC_REPLICAS is above KAFKA_REPLICATION_FACTOR (no write could ever succeed)');
  }
  return {
    create: settings.KAFKA_CREATE_TOPICS,
    partitions: settings.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: settings.KAFKA_REPLICATION_FACTOR,
    minInsyncReplicas: settings.KAFKA_MIN_INSYNC_REPLICAS,
  };
}

/** The one place that builds what every Kafka client of the platform is constructed with. */
export function kafkaClientOptions(options: { clientId: string; brokers: string[]; security?: KafkaSecurity }) {
  const { sasl, tls } = options.security ?? {};
  return {
    clientId: options.clientId,
    bootstrapBrokers: options.brokers,
    ...(sasl ? { sasl } : {}),
    ...(tls ? { tls } : {}),
  };
}
