/**
 * Kafka in compose and Kubernetes runs like production: every client listener authenticates
 * (SCRAM), ACLs are enforced, each service is a user of its own with exactly the grants of
 * deploy/kafka-access.json (the rule in kafka-access.ts, the one tests/kafka-security proves on a
 * real broker), and no service creates topics.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Grant, grantLines, grantsFor, kafkaAccess } from './kafka-access.ts';
import { type ComposeProject, type K8sResource, parseManifests, ROOT, resolvedCompose, runOk, SERVICE_NAMES, tools } from './support.ts';

const access = kafkaAccess();
let dir: string;
let project: ComposeProject;
const overlays = new Map<string, K8sResource[]>();

before(() => {
  const tool = tools();
  dir = mkdtempSync(join(tmpdir(), 'kafka-deploy-'));
  // The generated secrets (scripts/secrets.sh, what a user puts in .env), else just the Kafka passwords.
  const secrets = existsSync(join(ROOT, 'scripts/secrets.sh'))
    ? runOk(join(ROOT, 'scripts/secrets.sh'), [])
    : ['ADMIN', ...SERVICE_NAMES.map((name) => name.toUpperCase())].map((name) => `KAFKA_${name}_PASSWORD=${name.toLowerCase()}-secret\n`).join('');
  const envFile = join(dir, 'secrets.env');
  writeFileSync(envFile, secrets);
  project = resolvedCompose(tool.composeConfig, envFile);
  // The dev overlay reads the secrets a user generates once (as tests/deploy/k8s.test.ts does).
  const devSecrets = join(ROOT, 'deploy/k8s/overlays/dev/secrets.env');
  if (!existsSync(devSecrets)) writeFileSync(devSecrets, runOk(join(ROOT, 'scripts/secrets.sh'), []), { mode: 0o600 });
  for (const overlay of ['dev', 'production']) {
    overlays.set(overlay, parseManifests(runOk(tool.kustomize, ['build', join(ROOT, 'deploy/k8s/overlays', overlay)])));
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('deploy/kafka-access.json names every service, and only topics of the contract', async () => {
  const { topics } = await import('@shop/contracts');
  assert.deepEqual(Object.keys(access).sort(), SERVICE_NAMES.map((name) => `${name}-service`).sort());
  const known = new Set<string>(Object.values(topics));
  for (const [service, { writes, reads }] of Object.entries(access)) {
    for (const topic of [...writes, ...reads]) assert.ok(known.has(topic), `${service}: ${topic} is not a contract topic`);
  }
});

test('the grant rule: own topics written, consumed topics read in its own group, DLQs of consumed topics written, nothing else', () => {
  assert.deepEqual(grantLines(grantsFor('order-service', { writes: ['order-events'], reads: ['payment-events'] })), [
    'group:order-service:Read',
    'topic:order-events.dlq:Describe',
    'topic:order-events:Describe',
    'topic:order-events:Write',
    'topic:payment-events.dlq:Describe',
    'topic:payment-events.dlq:Write',
    'topic:payment-events:Describe',
    'topic:payment-events:Read',
  ]);
});

test('compose: every listener authenticates, ACLs are enforced, the admin is the only super user', () => {
  const kafka = project.services.kafka?.environment ?? {};
  const protocols = (kafka.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '').split(',').map((pair) => pair.split(':')[1]);
  assert.ok(
    protocols.length >= 3 && protocols.every((protocol) => protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL'),
    kafka.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '',
  );
  assert.equal(kafka.KAFKA_AUTHORIZER_CLASS_NAME, 'org.apache.kafka.metadata.authorizer.StandardAuthorizer');
  assert.equal(kafka.KAFKA_SUPER_USERS, 'User:admin');
  assert.equal(kafka.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND, 'false');
  assert.match(JSON.stringify(project.services['kafka-format']?.command), /kafka-storage\.sh format --ignore-formatted .*--add-scram/);
  assert.equal(project.services.kafka?.depends_on?.['kafka-format']?.condition, 'service_completed_successfully');
});

test('compose: each service is its own SCRAM user, waits for the topics instead of creating them', () => {
  const users = (project.services['kafka-init']?.environment?.USERS ?? '').split(/\s+/).filter(Boolean);
  const passwords = new Map(users.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  const seen = new Set<string>();
  for (const name of SERVICE_NAMES) {
    const env = project.services[`${name}-service`]?.environment ?? {};
    assert.equal(env.KAFKA_SASL_MECHANISM, 'SCRAM-SHA-512', name);
    assert.equal(env.KAFKA_SASL_USERNAME, `${name}-service`, name);
    assert.ok(env.KAFKA_SASL_PASSWORD, `${name}-service has a password`);
    assert.equal(passwords.get(`${name}-service`), env.KAFKA_SASL_PASSWORD, `kafka-init creates ${name}-service with the password it uses`);
    assert.ok(!seen.has(env.KAFKA_SASL_PASSWORD as string), `${name}-service's password is its own`);
    seen.add(env.KAFKA_SASL_PASSWORD as string);
    assert.equal(env.KAFKA_CREATE_TOPICS, 'false', name);
  }
});

test('compose: kafka-init grants each service exactly what deploy/kafka-access.json allows', () => {
  const lines = (project.services['kafka-init']?.environment?.ACLS ?? '').split('\n').filter((line) => line.trim());
  const granted = new Map<string, Grant[]>();
  for (const line of lines) {
    const [user, operations, ...resources] = line.trim().split(/\s+/);
    for (const resource of resources) {
      const [type, name] = resource.split(':') as ['topic' | 'group', string];
      granted.set(user as string, [
        ...(granted.get(user as string) ?? []),
        { type, name, operations: (operations as string).split(',') as Grant['operations'] },
      ]);
    }
  }
  for (const [service, serviceAccess] of Object.entries(access)) {
    assert.deepEqual(grantLines(granted.get(service) ?? []), grantLines(grantsFor(service, serviceAccess)), service);
  }
  assert.deepEqual([...granted.keys()].sort(), Object.keys(access).sort());
  assert.match(JSON.stringify(project.services['kafka-init']?.command), /kafka-acls\.sh .*--add --allow-principal/);
  assert.match(JSON.stringify(project.services['kafka-init']?.command), /kafka-configs\.sh .*--entity-type users .*SCRAM-SHA-512/);
});

for (const overlay of ['dev', 'production']) {
  test(`overlays/${overlay}: Kafka listeners use TLS and SCRAM, authorization is on, a KafkaUser per service has exactly its grants`, () => {
    const resources = overlays.get(overlay) ?? [];
    const kafka = resources.find((r) => r.kind === 'Kafka');
    const listeners: { tls: boolean; authentication?: { type: string } }[] = kafka?.spec?.kafka?.listeners ?? [];
    assert.ok(listeners.length > 0);
    for (const listener of listeners) {
      assert.equal(listener.tls, true);
      assert.equal(listener.authentication?.type, 'scram-sha-512');
    }
    assert.equal(kafka?.spec?.kafka?.authorization?.type, 'simple');
    assert.ok(kafka?.spec?.entityOperator?.userOperator, 'the User Operator manages the KafkaUsers');
    for (const [service, serviceAccess] of Object.entries(access)) {
      const user = resources.find((r) => r.kind === 'KafkaUser' && r.metadata.name === service);
      assert.equal(user?.spec?.authentication?.type, 'scram-sha-512', service);
      const acls: { resource: { type: 'topic' | 'group'; name: string; patternType?: string }; operations: Grant['operations']; type?: string }[] =
        user?.spec?.authorization?.acls ?? [];
      for (const acl of acls) {
        assert.equal(acl.resource.patternType ?? 'literal', 'literal', `${service}: literal names only`);
        assert.equal(acl.type ?? 'allow', 'allow');
      }
      const granted = acls.map((acl) => ({ type: acl.resource.type, name: acl.resource.name, operations: acl.operations }));
      assert.deepEqual(grantLines(granted), grantLines(grantsFor(service, serviceAccess)), service);
    }
  });

  test(`overlays/${overlay}: each Deployment uses its own Kafka user and the cluster CA, and waits for the topics`, () => {
    const resources = overlays.get(overlay) ?? [];
    const config = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name.startsWith('shop-config'))?.data ?? {};
    assert.equal(config.KAFKA_CREATE_TOPICS, 'false');
    assert.equal(config.KAFKA_SASL_MECHANISM, 'SCRAM-SHA-512');
    assert.equal(config.KAFKA_TLS, 'true');
    for (const name of SERVICE_NAMES) {
      const pod = resources.find((r) => r.kind === 'Deployment' && r.metadata.name === `${name}-service`)?.spec?.template?.spec;
      const container = pod?.containers?.[0];
      const env = new Map<string, { value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>(
        (container?.env ?? []).map((e: { name: string }) => [e.name, e]),
      );
      assert.equal(env.get('KAFKA_SASL_USERNAME')?.value, `${name}-service`);
      assert.deepEqual(env.get('KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef, { name: `${name}-service`, key: 'password' }, "the User Operator's Secret");
      const caVolume = pod?.volumes?.find((v: { secret?: { secretName: string } }) => v.secret?.secretName === 'shop-kafka-cluster-ca-cert');
      assert.ok(caVolume, `${name}-service mounts the cluster CA`);
      const mount = container?.volumeMounts?.find((m: { name: string }) => m.name === caVolume.name);
      assert.equal(`${mount?.mountPath}/ca.crt`, config.KAFKA_TLS_CA_FILE);
    }
  });
}
