import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import {
  ALL_TOPICS,
  checkK8sConfig,
  checkK8sProbes,
  ENTRY_SERVICE,
  healthRoutes,
  type K8sResource,
  parseManifests,
  ROOT,
  run,
  runOk,
  SERVICE_NAMES,
  type ServiceFacts,
  type ServiceName,
  serviceFacts,
  type Tools,
  tools,
  writeCrdSchemas,
} from './support.ts';

const OVERLAYS = ['dev', 'production'];
const routes = healthRoutes();
let tool: Tools;
let dir: string;
let crdDir: string;
let facts: Record<ServiceName, ServiceFacts>;
const rendered = new Map<string, { file: string; resources: K8sResource[] }>();

before(async () => {
  tool = tools();
  dir = mkdtempSync(join(tmpdir(), 'k8s-check-'));
  crdDir = join(dir, 'crd-schemas');
  writeCrdSchemas(tool.crds, crdDir);
  facts = await serviceFacts();
  // The dev overlay reads the secrets a user generates once (deploy/k8s/overlays/dev/kustomization.yaml).
  const devSecrets = join(ROOT, 'deploy/k8s/overlays/dev/secrets.env');
  if (!existsSync(devSecrets)) writeFileSync(devSecrets, runOk(join(ROOT, 'scripts/secrets.sh'), []), { mode: 0o600 });
  for (const overlay of OVERLAYS) {
    const text = runOk(tool.kustomize, ['build', join(ROOT, 'deploy/k8s/overlays', overlay)]);
    const file = join(dir, `${overlay}.yaml`);
    writeFileSync(file, text);
    rendered.set(overlay, { file, resources: parseManifests(text) });
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  resources: { kind: string; name: string; status: string; msg: string }[];
}

/** kubeconform, strict, offline: core kinds from the cached Kubernetes schemas, CRs from the operators' CRDs. */
function kubeconform(file: string, kubernetesVersion: string): Report {
  const result = run(tool.kubeconform, [
    '-strict',
    '-summary',
    '-verbose',
    '-output',
    'json',
    '-kubernetes-version',
    kubernetesVersion,
    '-schema-location',
    `${tool.kubernetesSchemas}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location',
    `${crdDir}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
    file,
  ]);
  assert.ok(result.stdout.startsWith('{'), `kubeconform failed to run: ${result.stderr}`);
  return JSON.parse(result.stdout) as Report;
}

const notValid = (report: Report) => report.resources.filter((r) => r.status !== 'statusValid').map((r) => `${r.kind}/${r.name}: ${r.status} ${r.msg}`);

describe('Kubernetes manifests', () => {
  for (const overlay of OVERLAYS) {
    test(`overlays/${overlay} renders, and kubeconform finds every resource valid (Kubernetes schemas and operator CRDs, none skipped)`, () => {
      const { file, resources } = rendered.get(overlay)!;
      for (const version of tool.kubernetesVersions) {
        const report = kubeconform(file, version);
        assert.deepEqual(notValid(report), [], `Kubernetes ${version}`);
        assert.equal(report.resources.length, resources.length, `every resource was validated (Kubernetes ${version})`);
      }
      const kinds = new Set(resources.map((r) => r.kind));
      for (const kind of ['Kafka', 'KafkaNodePool', 'KafkaTopic', 'MongoDBCommunity']) assert.ok(kinds.has(kind), `${overlay} has a ${kind}`);
    });

    test(`overlays/${overlay}: every probe points at a route and port the service serves`, () => {
      assert.deepEqual(checkK8sProbes(rendered.get(overlay)!.resources, facts, routes), []);
    });

    test(`overlays/${overlay}: each service accepts the environment its Deployment gives it`, () => {
      assert.deepEqual(checkK8sConfig(rendered.get(overlay)!.resources, facts), []);
    });

    test(`overlays/${overlay}: Strimzi manages every contract topic and its .dlq`, () => {
      const names = rendered
        .get(overlay)!
        .resources.filter((r) => r.kind === 'KafkaTopic')
        .map((r) => r.spec?.topicName ?? r.metadata.name);
      assert.deepEqual(names.sort(), [...ALL_TOPICS].sort());
    });
  }

  test('kubeconform rejects broken manifests, core kinds and custom resources alike (the check can fail)', () => {
    const resources = structuredClone(rendered.get('production')!.resources);
    const deployment = resources.find((r) => r.kind === 'Deployment')!;
    deployment.spec.replicas = 'two';
    const topic = resources.find((r) => r.kind === 'KafkaTopic')!;
    topic.spec.partitionz = 6;
    const mongo = resources.find((r) => r.kind === 'MongoDBCommunity')!;
    mongo.spec.type = 'Standalone';
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, resources.map((r) => stringify(r)).join('---\n'));
    const problems = notValid(kubeconform(file, tool.kubernetesVersions[0]!));
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), new RegExp(`Deployment/${deployment.metadata.name}: statusInvalid.*replicas`));
    assert.match(problems.join('\n'), new RegExp(`KafkaTopic/${topic.metadata.name}: statusInvalid.*partitionz`));
    assert.match(problems.join('\n'), /MongoDBCommunity\/shop-mongodb: statusInvalid.*Standalone|MongoDBCommunity\/shop-mongodb: statusInvalid.*type/);
  });

  test('the probe checker catches a probe on the wrong port or route, and a Service on the wrong port', () => {
    const resources = structuredClone(rendered.get('production')!.resources);
    const deployment = (name: string) => resources.find((r) => r.kind === 'Deployment' && r.metadata.name === name)!;
    deployment('user-service').spec.template.spec.containers[0].readinessProbe.httpGet.port = 8081;
    deployment('cart-service').spec.template.spec.containers[0].livenessProbe.httpGet.path = '/health/ready';
    deployment('order-service').spec.template.spec.containers[0].ports[0].containerPort = 7001;
    resources.find((r) => r.kind === 'Service' && r.metadata.name === 'payment-service')!.spec.ports[0].port = 3001;
    const problems = checkK8sProbes(resources, facts, routes).join('\n');
    assert.match(problems, /user-service: readinessProbe probes port 8081/);
    assert.match(problems, /cart-service: livenessProbe probes \/health\/ready; it must probe \/health\/live/);
    assert.match(problems, /order-service: containerPort 7001 but the service listens on 7000/);
    assert.match(problems, /payment-service: the Service exposes port 3001, not 3000/);
    assert.match(problems, /PAYMENT_SERVICE_URL=http:\/\/payment-service:3000 does not point at the payment-service Service/);
  });

  for (const overlay of OVERLAYS) {
    test(`overlays/${overlay}: one Ingress, to the gateway's Service and port; every Service stays inside the cluster`, () => {
      const resources = rendered.get(overlay)!.resources;
      const ingresses = resources.filter((r) => r.kind === 'Ingress');
      assert.equal(ingresses.length, 1, 'one Ingress');
      const backends = (
        ingresses[0]!.spec.rules as { http: { paths: { path: string; backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[]
      ).flatMap((rule) => rule.http.paths);
      assert.deepEqual(
        backends.map((p) => [p.path, p.backend.service.name]),
        [['/', `${ENTRY_SERVICE}-service`]],
      );
      const service = resources.find((r) => r.kind === 'Service' && r.metadata.name === `${ENTRY_SERVICE}-service`)!;
      const port = backends[0]!.backend.service.port;
      assert.ok(
        (service.spec.ports as { name: string; port: number }[]).some((p) => p.name === port.name || p.port === port.number),
        "the Ingress names a port of the gateway's Service",
      );
      const exposed = resources.filter((r) => r.kind === 'Service' && (r.spec?.type ?? 'ClusterIP') !== 'ClusterIP').map((r) => r.metadata.name);
      assert.deepEqual(exposed, [], 'no NodePort or LoadBalancer Service');
    });
  }

  test('the base has a Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget per service, with resources', () => {
    const base = parseManifests(runOk(tool.kustomize, ['build', join(ROOT, 'deploy/k8s/base')]));
    for (const name of SERVICE_NAMES) {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
        assert.ok(
          base.some((r) => r.kind === kind && r.metadata.name === `${name}-service`),
          `${kind} ${name}-service`,
        );
      }
      const container = base.find((r) => r.kind === 'Deployment' && r.metadata.name === `${name}-service`)!.spec.template.spec.containers[0];
      assert.ok(container.resources?.requests?.cpu && container.resources?.requests?.memory, `${name}-service requests`);
      assert.ok(container.resources?.limits?.memory, `${name}-service memory limit`);
    }
    // Secrets stay out of the base: the Secret is an example, applied by no kustomization.
    assert.equal(base.filter((r) => r.kind === 'Secret').length, 0);
  });
});

test('no overlay carries a secret value: shop-secrets come from values generated where it is deployed', () => {
  for (const overlay of OVERLAYS) {
    const text = readFileSync(join(ROOT, 'deploy/k8s/overlays', overlay, 'kustomization.yaml'), 'utf8');
    assert.doesNotMatch(text, /(SECRET|PASSWORD|SIGNING_KEY)[A-Z_]*=/, `overlays/${overlay} holds a secret literal`);
  }
  const dev = rendered.get('dev')?.resources.find((r) => r.kind === 'Secret' && r.metadata.name.startsWith('shop-secrets'));
  assert.ok(dev, 'the dev overlay makes shop-secrets');
  assert.ok(Object.keys((dev as { data?: object }).data ?? {}).includes('ORDER_TOKEN_SIGNING_KEY'));
});
