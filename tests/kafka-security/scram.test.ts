/**
 * Kafka as production runs it, on a real broker of its own: TLS with a CA of the test's own,
 * SASL/SCRAM users, one per service, ACLs from deploy/kafka-access.json (the rule compose and
 * Kubernetes use), a StandardAuthorizer and the admin as the only super user (infra/bin/kafka
 * with KAFKA_SECURITY=scram and KAFKA_TLS_DIR: a SASL_SSL listener). A service
 * that must not create topics starts, is not ready until they exist, writes its own topic, is
 * refused on another's, and stays ready through a Kafka outage.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Acl, AclOperations, AclPermissionTypes, Admin, findErrorBy, ResourcePatternTypes, ResourceTypes } from '@platformatic/kafka';
import { topics as contractTopics } from '@shop/contracts';
import { loadConfig, serviceConfigSchema } from '@shop/platform/config';
import { instanceOf } from '@shop/platform/http/health';
import { createEvent } from '@shop/platform/kafka/envelope';
import { createEventProducer } from '@shop/platform/kafka/producer';
import { type KafkaSecurity, kafkaClientOptions } from '@shop/platform/kafka/settings';
import { ensureTopics } from '@shop/platform/kafka/topics';
import { createLogger } from '@shop/platform/log';
import { createPlatform, type Platform } from '@shop/platform/service';
import { testEnv } from '@shop/testing/env';
import { waitUntil } from '@shop/testing/support';
import { grantsFor, kafkaAccess } from '../deploy/kafka-access.ts';
import { ROOT } from '../deploy/support.ts';

const access = kafkaAccess();
const passwords = Object.fromEntries(Object.keys(access).map((service) => [service, randomBytes(12).toString('hex')]));
const adminPassword = randomBytes(12).toString('hex');
const logger = createLogger({ service: 'scram-test', level: 'silent' });
let dir: string;
let caFile: string;
let broker: string;
let kafkaEnv: Record<string, string>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A CA and a certificate for 127.0.0.1 signed by it, as PEM files (openssl, like scripts/secrets.sh). */
function makeCertificates(tlsDir: string): void {
  mkdirSync(tlsDir);
  const openssl = (...args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: tlsDir, encoding: 'utf8' });
    assert.equal(result.status, 0, `openssl ${args.join(' ')}: ${result.stderr}`);
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=scram-test-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(tlsDir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'server.key', '-out', 'server.pk8');
  writeFileSync(join(tlsDir, 'server.pem'), readFileSync(join(tlsDir, 'server.pk8'), 'utf8') + readFileSync(join(tlsDir, 'server.crt'), 'utf8'));
}

function kafkaScript(action: 'start' | 'stop') {
  const result = spawnSync(join(ROOT, 'infra/bin/kafka'), [action], { env: kafkaEnv, encoding: 'utf8' });
  assert.equal(result.status, 0, `infra/bin/kafka ${action}: ${result.stdout}${result.stderr}`);
}

const scram = (username: string, password: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' = 'SCRAM-SHA-512'): KafkaSecurity => ({
  sasl: { mechanism, username, password },
  tls: { ca: readFileSync(caFile, 'utf8') },
});
const adminSecurity = () => scram('admin', adminPassword);

/** The ACLs of deploy/kafka-access.json, made with the admin's client. */
async function createServiceAcls(): Promise<void> {
  const admin = new Admin(kafkaClientOptions({ clientId: 'scram-test-admin', brokers: [broker], security: adminSecurity() }));
  try {
    const creations: Acl[] = Object.entries(access).flatMap(([service, serviceAccess]) =>
      grantsFor(service, serviceAccess).flatMap((grant) =>
        grant.operations.map((operation) => ({
          resourceType: grant.type === 'topic' ? ResourceTypes.TOPIC : ResourceTypes.GROUP,
          resourceName: grant.name,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: `User:${service}`,
          host: '*',
          operation: AclOperations[operation.toUpperCase() as 'READ' | 'WRITE' | 'DESCRIBE'],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ),
    );
    await admin.createAcls({ creations });
  } finally {
    await admin.close();
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-scram-'));
  makeCertificates(join(dir, 'tls'));
  caFile = join(dir, 'tls', 'ca.pem');
  const [port, controllerPort] = [await freePort(), await freePort()];
  broker = `127.0.0.1:${port}`;
  const { KAFKA_BROKER: _external, ...inherited } = process.env as Record<string, string>;
  kafkaEnv = {
    ...inherited,
    INFRA_DATA_DIR: dir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_SECURITY: 'scram',
    KAFKA_TLS_DIR: join(dir, 'tls'),
    KAFKA_ADMIN_PASSWORD: adminPassword,
    KAFKA_SCRAM_USERS: Object.entries(passwords)
      .map(([user, password]) => `${user}=${password}`)
      .join(' '),
  };
  kafkaScript('start');
  await createServiceAcls();
});

let orderService: Platform | undefined;

after(async () => {
  await orderService?.close();
  await orderService?.mongo.db.dropDatabase().catch(() => {});
  kafkaScript('stop');
  rmSync(dir, { recursive: true, force: true });
});
const orderTopics = [contractTopics.orderEvents, contractTopics.paymentEvents, contractTopics.inventoryEvents];

test('with KAFKA_CREATE_TOPICS=false a service on its SCRAM user starts, is not ready until its topics exist, then consumes', async (t) => {
  const t0 = Date.now();
  const env = testEnv({
    KAFKA_BROKER: broker,
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'order-service',
    KAFKA_SASL_PASSWORD: passwords['order-service'] as string,
    KAFKA_TLS_CA_FILE: caFile,
    KAFKA_CREATE_TOPICS: 'false',
  });
  const config = loadConfig(serviceConfigSchema({ PORT: 0, MONGO_DB: 'unused' }, {}), env);
  const service = await createPlatform({ name: 'order-service', config, topics: orderTopics, logger });
  orderService = service;
  t.diagnostic(`started not ready after ${Date.now() - t0} ms`);
  await service.startConsumer({ [contractTopics.paymentEvents]: {}, [contractTopics.inventoryEvents]: {} });

  const ready = async () => {
    const answer = await service.http.inject({ method: 'GET', url: '/health/ready' });
    return { status: answer.statusCode, body: answer.json() };
  };
  assert.deepEqual(await ready(), {
    status: 503,
    body: { status: 'unavailable', instance: instanceOf(process.pid), checks: { mongo: 'up', topics: 'down' } },
  });

  // The topics job of compose and Kubernetes, done here by the admin.
  const all = Object.values(contractTopics);
  const creating = Date.now();
  await ensureTopics({ brokers: [broker], clientId: 'scram-test-admin', security: adminSecurity(), topics: all, replicationFactor: 1, minInsyncReplicas: 1 });
  const created = Date.now();
  t.diagnostic(`the admin made ${all.length * 2} topics in ${created - creating} ms`);
  const now = await waitUntil(ready, (answer) => answer.status === 200, 20_000);
  t.diagnostic(`ready ${Date.now() - created} ms after the topics were created`);
  assert.deepEqual(now.body, { status: 'ready', instance: instanceOf(process.pid), checks: { mongo: 'up', topics: 'up' } });

  const dependencies = await waitUntil(
    async () => (await service.http.inject({ method: 'GET', url: '/health/dependencies' })).json(),
    (body) => body.checks['kafka-consumer'] === 'up' && body.checks.kafka === 'up',
    20_000,
  );
  assert.equal(dependencies.status, 'ok', 'its consumer joined its own group on the topics it reads');
  t.diagnostic(`consumer up ${Date.now() - created} ms after the topics were created`);
});

test("its SCRAM user writes its own topic and is refused (TopicAuthorizationFailed) on another service's topic", async () => {
  assert.ok(orderService);
  const event = createEvent({ type: 'order.created', source: 'order-service', subject: 'a'.repeat(24), data: {} });
  await orderService.producer.publish(contractTopics.orderEvents, event);

  const refused = await orderService.producer.publish(contractTopics.paymentEvents, event).then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(refused, 'order-service may not write payment-events');
  assert.ok(findErrorBy(refused.cause as Error, 'apiId', 'TOPIC_AUTHORIZATION_FAILED'), String((refused.cause as Error)?.message));

  // The other mechanism works too; a wrong password, or a client that does not trust the CA, gets nowhere.
  const sha256 = createEventProducer({
    brokers: [broker],
    clientId: 'payment-service',
    security: scram('payment-service', passwords['payment-service'] as string, 'SCRAM-SHA-256'),
    logger,
  });
  const impostor = createEventProducer({
    brokers: [broker],
    clientId: 'impostor',
    security: scram('payment-service', 'wrong-password'),
    logger,
    retries: 2,
    timeoutMs: 2_000,
  });
  const untrusting = createEventProducer({
    brokers: [broker],
    clientId: 'untrusting',
    security: { sasl: scram('payment-service', passwords['payment-service'] as string).sasl },
    logger,
    retries: 2,
    timeoutMs: 2_000,
  });
  try {
    await sha256.publish(contractTopics.paymentEvents, event);
    await assert.rejects(impostor.publish(contractTopics.paymentEvents, event));
    await assert.rejects(untrusting.publish(contractTopics.paymentEvents, event));
  } finally {
    await sha256.close();
    await impostor.close();
    await untrusting.close();
  }
});

test('a Kafka outage leaves the service ready (its database serves); /health/dependencies says Kafka is down', async () => {
  const service = orderService;
  assert.ok(service);
  kafkaScript('stop');
  const dependencies = await waitUntil(
    async () => service.http.inject({ method: 'GET', url: '/health/dependencies' }),
    (answer) => answer.json().checks.kafka === 'down',
    20_000,
  );
  assert.equal(dependencies.statusCode, 503);
  const ready = await service.http.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(ready.statusCode, 200, ready.body);
});
