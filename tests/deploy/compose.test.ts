import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { topics } from '@shop/contracts';
import {
  CONTRACT_PORTS,
  type ComposeProject,
  checkComposeConfig,
  checkComposeHealth,
  composeServices,
  ENTRY_SERVICE,
  healthRoutes,
  ROOT,
  resolvedCompose,
  run,
  SERVICE_NAMES,
  type ServiceFacts,
  type ServiceName,
  serviceFacts,
  type Tools,
  tools,
} from './support.ts';

let tool: Tools;
let dir: string;
let emptyEnv: string;
let secretsEnv: string;
let facts: Record<ServiceName, ServiceFacts>;
let project: ComposeProject;
const routes = healthRoutes();

before(async () => {
  tool = tools();
  dir = mkdtempSync(join(tmpdir(), 'compose-check-'));
  emptyEnv = join(dir, 'empty.env');
  writeFileSync(emptyEnv, '');
  // What a user does first (README, docs/deployment.md): generate the secrets into .env.
  secretsEnv = join(dir, 'secrets.env');
  const secrets = run(join(ROOT, 'scripts/secrets.sh'), []);
  assert.equal(secrets.status, 0, secrets.stderr);
  writeFileSync(secretsEnv, secrets.stdout);
  facts = await serviceFacts();
  project = resolvedCompose(tool.composeConfig, secretsEnv);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** docker-compose.yml with a text edit, in a temp dir (build contexts still point at the repo). */
function brokenCopy(edit: (text: string) => string): string {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').replaceAll('context: .', `context: ${ROOT}`);
  const file = join(dir, `broken-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, edit(text));
  return file;
}

const composeV1 = (file: string, envFile = secretsEnv) => run(tool.dockerCompose, ['--env-file', envFile, '-f', file, 'config', '-q']);
const composeV2 = (file: string, envFile = secretsEnv) => run(tool.composeConfig, ['--env-file', envFile, file]);

test('without the generated secrets compose refuses to start, saying how to make them', () => {
  for (const result of [composeV1(join(ROOT, 'docker-compose.yml'), emptyEnv), composeV2(join(ROOT, 'docker-compose.yml'), emptyEnv)]) {
    assert.notEqual(result.status, 0);
    assert.match(result.stderr + result.stdout, /scripts\/secrets\.sh > \.env/);
  }
  assert.doesNotMatch(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), /(SECRET|PASSWORD|KEY)[A-Z_]*: \$\{[A-Z_]+:-/, 'no secret has a default');
});

test('docker-compose (v1) accepts docker-compose.yml with the generated .env and no variable left unset', () => {
  const result = composeV1(join(ROOT, 'docker-compose.yml'));
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /not set|warning/i);
});

test('the Compose v2 loader (compose-go) accepts it too, with no variable left unset', () => {
  const result = composeV2(join(ROOT, 'docker-compose.yml'));
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /not set|warn/i);
});

test('both loaders reject an invalid compose file (the check can fail)', () => {
  const file = brokenCopy((text) => text.replace('condition: service_healthy', 'condition: service_happy'));
  assert.notEqual(composeV1(file).status, 0, 'docker-compose v1 accepted an invalid depends_on condition');
  assert.notEqual(composeV2(file).status, 0, 'compose-go accepted an invalid depends_on condition');
});

test('every service healthcheck probes the ready route on the port the service listens on', () => {
  assert.deepEqual(checkComposeHealth(project, facts, routes), []);
});

test('the health checker catches a healthcheck on the wrong port, a wrong route and a mismatched PORT', () => {
  const broken = structuredClone(project);
  const user = broken.services['user-service'];
  assert.ok(user?.healthcheck?.test && Array.isArray(user.healthcheck.test));
  user.healthcheck.test = user.healthcheck.test.map((part) => part.replace(':8080/', ':8081/'));
  const cart = broken.services['cart-service'];
  assert.ok(cart?.healthcheck?.test && Array.isArray(cart.healthcheck.test));
  cart.healthcheck.test = cart.healthcheck.test.map((part) => part.replace('/health/ready', '/cart'));
  const order = broken.services['order-service'];
  assert.ok(order?.environment);
  order.environment.PORT = '7001';

  const problems = checkComposeHealth(broken, facts, routes);
  assert.ok(
    problems.some((p) => p.startsWith('user-service') && p.includes('port 8081')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('cart-service') && p.includes('/cart')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('order-service') && p.includes('PORT=7001')),
    problems.join('\n'),
  );
});

test('the same checker, run on a broken docker-compose.yml through the real loader, catches it', () => {
  const file = brokenCopy((text) => text.replace('http://127.0.0.1:3000/health/ready', 'http://127.0.0.1:3001/health/ready'));
  const broken = resolvedCompose(tool.composeConfig, secretsEnv, file);
  assert.deepEqual(checkComposeHealth(broken, facts, routes), ['payment-service: healthcheck probes port 3001 but the service listens on 3000']);
});

test('each service default PORT (its config schema) is the contract port', (t) => {
  for (const name of SERVICE_NAMES) {
    if (!facts[name].configFile) {
      t.todo(`${name}-service has no src/config.ts yet: checked against the contract port ${CONTRACT_PORTS[name]}`);
      continue;
    }
    assert.equal(facts[name].port, CONTRACT_PORTS[name], `${name}-service default PORT`);
  }
});

test('each existing service accepts the environment compose gives it (no missing or invalid setting)', () => {
  assert.deepEqual(checkComposeConfig(project, facts), []);
  const broken = structuredClone(project);
  delete broken.services['user-service']?.environment?.ADMIN_PASSWORD;
  if (facts.user.schema) assert.match(checkComposeConfig(broken, facts).join('\n'), /user-service: .*ADMIN_PASSWORD/);
});

test('services wait for healthy MongoDB and Kafka and for the topics; infrastructure has healthchecks', () => {
  for (const [name, service] of Object.entries(project.services)) {
    if (!service.build?.args?.SERVICE) continue;
    assert.equal(service.depends_on?.mongo?.condition, 'service_healthy', `${name} → mongo`);
    assert.equal(service.depends_on?.kafka?.condition, 'service_healthy', `${name} → kafka`);
    assert.equal(service.depends_on?.['kafka-init']?.condition, 'service_completed_successfully', `${name} → kafka-init`);
    assert.equal(service.build.dockerfile, 'Dockerfile', `${name} builds from the one Dockerfile`);
  }
  for (const name of ['kafka', 'mongo', 'mailpit']) {
    assert.ok(project.services[name]?.healthcheck?.test, `${name} has a healthcheck`);
  }
  const mongoTest = JSON.stringify(project.services.mongo?.healthcheck?.test);
  assert.match(mongoTest, /rs\.initiate/, 'the mongo healthcheck initiates the replica set');
  assert.match(JSON.stringify(project.services.mongo), /--replSet/);
  assert.match(JSON.stringify(project.services.kafka?.healthcheck?.test), /kafka-broker-api-versions\.sh/);
});

test('kafka-init creates every contract topic and its .dlq', () => {
  const init = project.services['kafka-init'];
  assert.ok(init, 'a kafka-init service');
  const names = (init.environment?.TOPICS ?? '').split(/\s+/).filter(Boolean);
  assert.deepEqual(names.sort(), Object.values(topics).sort());
  const script = JSON.stringify(init.command);
  assert.match(script, /kafka-topics\.sh[^"]*--create --if-not-exists/);
  assert.match(script, /\.dlq/);
});

test('the image healthcheck probes the ready route, and the Dockerfile builds any service by SERVICE', () => {
  const script = readFileSync(join(ROOT, 'deploy/docker/healthcheck.mjs'), 'utf8');
  assert.equal(/const READY_PATH = '([^']+)'/.exec(script)?.[1], routes.ready);
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^HEALTHCHECK .*CMD \["node", "\/app\/healthcheck\.mjs"\]/ms);
  // The script the compose healthchecks run is where the image puts it.
  assert.match(dockerfile, /^WORKDIR \/app\n(?:.*\n)*?COPY deploy\/docker\/healthcheck\.mjs \.\/healthcheck\.mjs$/m);
  for (const name of composeServices(project).keys()) assert.equal(project.services[name]?.healthcheck?.test?.[2], '/app/healthcheck.mjs', name);
  assert.match(dockerfile, /^ARG SERVICE$/m);
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  assert.match(dockerfile, /npm ci --omit=dev/);
});

test('of the shop’s services only the gateway is published to the host; the seven stay on the compose network', () => {
  const published = [...composeServices(project)]
    .filter(([composeName]) => (project.services[composeName]?.ports ?? []).length > 0)
    .map(([composeName]) => `${composeName}:${(project.services[composeName]?.ports ?? []).map((p) => `${p.published}->${p.target}`).join(',')}`);
  assert.deepEqual(published, ['gateway-service:8000->8000']);
  const gateway = [...composeServices(project)].find(([, dir]) => dir === ENTRY_SERVICE)?.[0];
  assert.equal(gateway, 'gateway-service');
  const env = project.services[gateway]?.environment ?? {};
  for (const name of SERVICE_NAMES.filter((n) => n !== ENTRY_SERVICE)) {
    assert.ok(env[`${name.toUpperCase()}_SERVICE_URL`], `the gateway is told where ${name}-service is`);
  }
});
