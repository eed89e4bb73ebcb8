import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { loadConfig } from '../config.ts';
import { kafkaClientOptions, kafkaConfigProperties, kafkaSecurity, topicSettings } from './settings.ts';

// The Kafka part of every service's configuration, read like the rest (converted, defaulted, validated).
const settings = (env: Record<string, string>) => loadConfig(Type.Object(kafkaConfigProperties), env);

test('no Kafka settings: no SASL, no TLS, topics created with one replica (the local broker)', () => {
  const config = settings({});
  assert.deepEqual(kafkaSecurity(config), {});
  assert.deepEqual(topicSettings(config), { create: true, partitions: 3, replicationFactor: 1, minInsyncReplicas: 1 });
  assert.deepEqual(kafkaClientOptions({ clientId: 'c', brokers: ['b:9092'] }), { clientId: 'c', bootstrapBrokers: ['b:9092'] });
});

test('SCRAM and TLS with a CA file go into every client the same way', () => {
  const config = settings({
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'order-service',
    KAFKA_SASL_PASSWORD: 'pw',
    KAFKA_TLS_CA_FILE: '/etc/kafka-ca/ca.crt',
    KAFKA_CREATE_TOPICS: 'false',
    KAFKA_REPLICATION_FACTOR: '3',
    KAFKA_MIN_INSYNC_REPLICAS: '2',
  });
  const security = kafkaSecurity(config, (path) => `PEM of ${path}`);
  assert.deepEqual(security, {
    sasl: { mechanism: 'SCRAM-SHA-512', username: 'order-service', password: 'pw' },
    tls: { ca: 'PEM of /etc/kafka-ca/ca.crt' },
  });
  assert.deepEqual(kafkaClientOptions({ clientId: 'c', brokers: ['b:9093'], security }), { clientId: 'c', bootstrapBrokers: ['b:9093'], ...security });
  assert.deepEqual(topicSettings(config), { create: false, partitions: 3, replicationFactor: 3, minInsyncReplicas: 2 });
  assert.deepEqual(kafkaSecurity(settings({ KAFKA_TLS: 'true' })), { tls: {} }, "KAFKA_TLS alone: the system's CAs");
});

test('settings that cannot work are refused, naming the variables', () => {
  assert.throws(() => kafkaSecurity(settings({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' })), /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
  assert.throws(() => kafkaSecurity(settings({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })), /KAFKA_SASL_MECHANISM is not/);
  assert.throws(() => topicSettings(settings({ KAFKA_MIN_INSYNC_REPLICAS: '2' })), /KAFKA_MIN_INSYNC_REPLICAS is above KAFKA_REPLICATION_FACTOR/);
  assert.throws(() => settings({ KAFKA_SASL_MECHANISM: 'GSSAPI' }), /KAFKA_SASL_MECHANISM/);
});
