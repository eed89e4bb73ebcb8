import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { CONTRACT_PORTS, type ComposeProject, parseManifests, ROOT, resolvedCompose, run, runOk, SERVICE_NAMES, type Tools, tools } from '../deploy/support.ts';

const PROMETHEUS = join(ROOT, 'deploy/observability/prometheus.yml');
const DASHBOARD = join(ROOT, 'deploy/observability/grafana/dashboards/shop.json');
const DATASOURCE = join(ROOT, 'deploy/observability/grafana/provisioning/datasources/prometheus.yml');

interface Panel {
  id?: number;
  type: string;
  title?: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
}

let tool: Tools & { promtool?: string };
let dir: string;
let compose: ComposeProject;
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; title: string; panels: Panel[] };
const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));

before(() => {
  tool = tools();
  assert.ok(tool.promtool, 'deploy/check-tools.sh installs promtool (scripts/test.sh runs it)');
  dir = mkdtempSync(join(tmpdir(), 'observability-check-'));
  // As a user does first (docs/deployment.md): the secrets generated into an env file.
  const secretsEnv = join(dir, 'secrets.env');
  writeFileSync(secretsEnv, runOk(join(ROOT, 'scripts/secrets.sh'), []));
  compose = resolvedCompose(tool.composeConfig, secretsEnv);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const promtool = (...args: string[]) => run(tool.promtool as string, args);

test('promtool (Prometheus own checker) accepts prometheus.yml, and rejects a broken copy', () => {
  const result = promtool('check', 'config', PROMETHEUS);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const broken = join(dir, 'broken-prometheus.yml');
  writeFileSync(broken, readFileSync(PROMETHEUS, 'utf8').replace('scrape_interval: 15s', 'scrape_interval: fifteen'));
  assert.notEqual(promtool('check', 'config', broken).status, 0, 'promtool accepted an invalid duration');
});

test('Prometheus scrapes /metrics of every service, by its compose name and contract port', () => {
  const config = parse(readFileSync(PROMETHEUS, 'utf8')) as { scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[] };
  const targets = config.scrape_configs.flatMap((job) => {
    assert.equal(job.metrics_path ?? '/metrics', '/metrics');
    return job.static_configs.flatMap((c) => c.targets);
  });
  assert.deepEqual(targets.sort(), SERVICE_NAMES.map((name) => `${name}-service:${CONTRACT_PORTS[name]}`).sort());
  for (const target of targets) assert.ok(compose.services[target.split(':')[0] as string], `${target} is a compose service`);
});

test('every dashboard query is valid PromQL (promtool parses it as a rule), and a broken one is caught', () => {
  // Grafana's $__rate_interval becomes a plain range for Prometheus's parser.
  const rules = (exprs: string[]) => {
    const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.yml`);
    const groups = [
      { name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr: expr.replaceAll('$__rate_interval', '5m') })) },
    ];
    writeFileSync(file, stringify({ groups }));
    return promtool('check', 'rules', file);
  };
  assert.ok(queries.length >= 15);
  const result = rules(queries.map((q) => q.target.expr));
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.notEqual(rules(['sum by (service (rate(orders_total[5m]))']).status, 0, 'promtool accepted unbalanced parentheses');
});

test('the dashboard is well formed: unique panel ids, a place for each, the provisioned data source, the metrics the services export', () => {
  assert.equal(dashboard.uid, 'shop-overview');
  const ids = dashboard.panels.map((panel) => panel.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  const datasource = (parse(readFileSync(DATASOURCE, 'utf8')) as { datasources: { uid: string; type: string }[] }).datasources[0];
  for (const panel of dashboard.panels) {
    assert.ok(panel.gridPos && panel.gridPos.w > 0 && panel.gridPos.x + panel.gridPos.w <= 24, `${panel.title} fits the 24-column grid`);
    if (panel.type === 'row') continue;
    assert.equal(panel.datasource?.uid, datasource?.uid, `${panel.title} uses the provisioned data source`);
    assert.equal(panel.datasource?.type, datasource?.type);
    assert.ok((panel.targets ?? []).length > 0, `${panel.title} has a query`);
  }
  // Every metric a query names is defined in the code (or is one of prom-client's process metrics).
  const exported = definedMetricNames();
  for (const { panel, target } of queries) {
    for (const name of target.expr.match(/\b[a-z_]+_(?:total|seconds|bucket|count|sum|lag|pending)\b/g) ?? []) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      assert.ok(exported.has(base) || /^(nodejs|process)_/.test(base), `${panel.title}: ${name} is not a metric any service exports`);
    }
  }
  // The names every operator of the shop relies on are all on it.
  const text = JSON.stringify(dashboard);
  for (const name of [
    'kafka_consumer_lag',
    'outbox_pending',
    'outbox_oldest_pending_age_seconds',
    'dead_letters_total',
    'orders_total',
    'checkout_duration_seconds',
    'reservations_expired_total',
    'mails_failed_total',
    'mails_retried_total',
    'dependency_request_duration_seconds',
    'dependency_request_failures_total',
  ]) {
    assert.ok(text.includes(name), `the dashboard shows ${name}`);
  }
});

test('compose runs Zipkin, Prometheus and Grafana from official images with exact tags, wired to these files', () => {
  const images = { zipkin: /^openzipkin\/zipkin:\d+\.\d+\.\d+$/, prometheus: /^prom\/prometheus:v\d+\.\d+\.\d+$/, grafana: /^grafana\/grafana:\d+\.\d+\.\d+$/ };
  for (const [name, image] of Object.entries(images)) assert.match(compose.services[name]?.image ?? '', image, name);
  const mounts = (name: string) =>
    ((compose.services[name] as { volumes?: { source?: string; target: string }[] }).volumes ?? []).map((v) => `${v.source}:${v.target}`);
  assert.ok(mounts('prometheus').includes(`${PROMETHEUS}:/etc/prometheus/prometheus.yml`), mounts('prometheus').join(', '));
  assert.ok(mounts('grafana').includes(`${join(ROOT, 'deploy/observability/grafana/provisioning')}:/etc/grafana/provisioning`));
  assert.ok(mounts('grafana').includes(`${join(ROOT, 'deploy/observability/grafana/dashboards')}:/var/lib/grafana/dashboards`));
  for (const name of SERVICE_NAMES) {
    const env = compose.services[`${name}-service`]?.environment ?? {};
    assert.equal(env.OTEL_TRACES_EXPORTER, 'zipkin', `${name}-service sends its spans`);
    assert.equal(env.OTEL_EXPORTER_ZIPKIN_ENDPOINT, 'http://zipkin:9411/api/v2/spans');
  }
});

test('Kubernetes: every service pod is annotated for scraping on its port, and the dashboard ships as a ConfigMap', () => {
  const resources = parseManifests(runOk(tool.kustomize, ['build', join(ROOT, 'deploy/k8s/overlays/production')]));
  for (const name of SERVICE_NAMES) {
    const deployment = resources.find((r) => r.kind === 'Deployment' && r.metadata?.name === `${name}-service`) as
      | { spec: { template: { metadata: { annotations?: Record<string, string> } } } }
      | undefined;
    const annotations = deployment?.spec.template.metadata.annotations ?? {};
    assert.equal(annotations['prometheus.io/scrape'], 'true', `${name}-service`);
    assert.equal(annotations['prometheus.io/port'], String(CONTRACT_PORTS[name]), `${name}-service`);
    assert.equal(annotations['prometheus.io/path'], '/metrics', `${name}-service`);
  }
  const configMap = resources.find((r) => r.kind === 'ConfigMap' && r.metadata?.name === 'shop-grafana-dashboard') as
    | { metadata: { labels?: Record<string, string> }; data: Record<string, string> }
    | undefined;
  assert.ok(configMap, 'a ConfigMap shop-grafana-dashboard');
  assert.equal(configMap.metadata.labels?.grafana_dashboard, '1');
  assert.deepEqual(JSON.parse(configMap.data['shop.json'] ?? '{}'), dashboard);
});

test('every way a service process starts registers OpenTelemetry first (--import of the register module)', () => {
  const register = '@shop/platform/telemetry/register';
  assert.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /^CMD \["node", "--import", "@shop\/platform\/telemetry\/register", "src\/server\.ts"\]$/m);
  assert.match(
    readFileSync(join(ROOT, 'scripts/run.sh'), 'utf8'),
    /node --import \.\/packages\/platform\/src\/telemetry\/register\.ts "services\/\$name\/src\/server\.ts"/,
  );
  assert.match(readFileSync(join(ROOT, 'packages/testing/src/processes.ts'), 'utf8'), /'--import', TELEMETRY/);
  for (const name of SERVICE_NAMES) {
    const start = (JSON.parse(readFileSync(join(ROOT, 'services', name, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    assert.equal(start, `node --import ${register} src/server.ts`, `${name}-service npm start`);
  }
});

/** Metric names defined in the services' and the platform's sources: string literals that look like one. */
function definedMetricNames(): Set<string> {
  const names = new Set<string>();
  const scan = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      for (const match of text.matchAll(/'([a-z][a-z0-9_]*_(?:total|seconds|lag|pending))'/g)) names.add(match[1] as string);
    }
  };
  scan(join(ROOT, 'packages/platform/src'));
  for (const name of SERVICE_NAMES) scan(join(ROOT, 'services', name, 'src'));
  return names;
}
