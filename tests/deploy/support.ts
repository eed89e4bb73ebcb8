/**
 * Static checks of the deployment files (docker-compose.yml, deploy/k8s): the facts they are
 * checked against, read from the code (ports from each service's config schema, health routes
 * from the platform), the checkers (pure functions returning a list of problems, so a test can
 * prove they catch a broken copy) and the external tools installed by deploy/check-tools.sh.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { topics } from '@shop/contracts';
import { loadConfig } from '@shop/platform/config';
import type { TObject } from 'typebox';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The contract's ports (shared/spec contract.md): what clients and the other services use; and the gateway's (issue 14). */
export const CONTRACT_PORTS = {
  user: 8080,
  product: 4000,
  inventory: 6000,
  cart: 9000,
  order: 7000,
  payment: 3000,
  notification: 2000,
  gateway: 8000,
} as const;
/** The one service published to the outside world (compose `ports`, the Kubernetes Ingress). */
export const ENTRY_SERVICE = 'gateway';
export type ServiceName = keyof typeof CONTRACT_PORTS;
export const SERVICE_NAMES = Object.keys(CONTRACT_PORTS) as ServiceName[];

/** Every topic and its dead-letter topic, from the contracts package. */
export const ALL_TOPICS = Object.values(topics).flatMap((topic) => [topic, `${topic}.dlq`]);

// --- facts read from the code -------------------------------------------------------------------

export interface HealthRoutes {
  live: string;
  ready: string;
  all: string[];
}

/** The routes packages/platform/src/http/health.ts registers (`app.get('/health/...'`). */
export function healthRoutes(source = readFileSync(join(ROOT, 'packages/platform/src/http/health.ts'), 'utf8')): HealthRoutes {
  const all = [...source.matchAll(/\bapp\.get\(\s*['"`]([^'"`]+)['"`]/g)].map((match) => match[1] as string);
  const live = all.find((path) => /live/.test(path));
  const ready = all.find((path) => /ready/.test(path));
  if (!live || !ready) throw new Error(`health.ts must register a liveness and a readiness route; found ${JSON.stringify(all)}`);
  return { live, ready, all };
}

export interface ServiceFacts {
  name: ServiceName;
  /** The port it listens on by default: its config schema's PORT default (the contract's port until config.ts exists). */
  port: number;
  /** services/<name>/src/config.ts, when the service exists yet. */
  configFile?: string;
  schema?: TObject;
}

/** Each service's default PORT and config schema, imported from services/<name>/src/config.ts. */
export async function serviceFacts(): Promise<Record<ServiceName, ServiceFacts>> {
  const facts = {} as Record<ServiceName, ServiceFacts>;
  for (const name of SERVICE_NAMES) {
    const configFile = join(ROOT, 'services', name, 'src', 'config.ts');
    if (!existsSync(configFile)) {
      facts[name] = { name, port: CONTRACT_PORTS[name] };
      continue;
    }
    const module: Record<string, unknown> = await import(pathToFileURL(configFile).href);
    const schema = Object.values(module).find((value): value is TObject => {
      const port = (value as TObject | undefined)?.properties?.PORT as { default?: unknown } | undefined;
      return typeof port?.default === 'number';
    });
    if (!schema) throw new Error(`${configFile} exports no config schema with a default PORT (serviceConfigSchema({ PORT: ... }))`);
    facts[name] = { name, port: (schema.properties.PORT as { default: number }).default, configFile, schema };
  }
  return facts;
}

/** Does this environment pass the service's own config validation? (Its error message, or undefined.) */
export function configProblem(fact: ServiceFacts, env: Record<string, string | undefined>): string | undefined {
  if (!fact.schema) return undefined;
  try {
    loadConfig(fact.schema, env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

// --- docker-compose.yml ---------------------------------------------------------------------------

/** The parts of a resolved compose project (compose-go JSON, `docker compose config --format json`) that are checked. */
export interface ComposeService {
  build?: { context?: string; dockerfile?: string; args?: Record<string, string | null> };
  image?: string;
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  ports?: { target: number; published?: string | number }[];
  depends_on?: Record<string, { condition: string }>;
  command?: string[] | string | null;
  entrypoint?: string[] | string | null;
}
export interface ComposeProject {
  services: Record<string, ComposeService>;
}

const probeUrl = /\bhttps?:\/\/([^/:\s'"]+):(\d+)(\/[^\s'"?#]*)?/;

/** The shop services of a compose project: compose name → service directory (build arg SERVICE). */
export function composeServices(project: ComposeProject): Map<string, string> {
  const found = new Map<string, string>();
  for (const [composeName, service] of Object.entries(project.services)) {
    const dir = service.build?.args?.SERVICE;
    if (dir) found.set(composeName, dir);
  }
  return found;
}

/**
 * Every shop service of the project probes GET <ready route> on the port it really listens on,
 * listens on its contract port, publishes that port, and is found by the others at that port.
 */
export function checkComposeHealth(project: ComposeProject, facts: Record<ServiceName, ServiceFacts>, routes: HealthRoutes): string[] {
  const problems: string[] = [];
  const services = composeServices(project);
  const listening = new Map<string, { name: string; port: number }>(); // compose name → service, port

  for (const name of SERVICE_NAMES) {
    const count = [...services.values()].filter((dir) => dir === name).length;
    if (count !== 1) problems.push(`${name}-service: built ${count} times in docker-compose.yml (build.args.SERVICE: ${name}); expected once`);
  }
  for (const [composeName, dir] of services) {
    const fact = facts[dir as ServiceName];
    if (!fact) {
      problems.push(`${composeName}: build.args.SERVICE=${dir} is not one of ${SERVICE_NAMES.join(', ')}`);
      continue;
    }
    const service = project.services[composeName] as ComposeService;
    const envPort = service.environment?.PORT;
    const port = envPort ? Number(envPort) : fact.port;
    if (port !== fact.port) problems.push(`${composeName}: PORT=${envPort} but ${dir}-service's port is ${fact.port}`);
    listening.set(composeName, { name: dir, port });

    const healthcheck = service.healthcheck;
    const test = Array.isArray(healthcheck?.test) ? healthcheck.test.join(' ') : (healthcheck?.test ?? '');
    const url = probeUrl.exec(test);
    if (!healthcheck || healthcheck.disable) {
      problems.push(`${composeName}: no healthcheck`);
    } else if (!url) {
      problems.push(`${composeName}: healthcheck names no http://host:port/path URL: ${test}`);
    } else {
      const [, host, probePort, path = '/'] = url;
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(host as string)) {
        problems.push(`${composeName}: healthcheck probes ${host}; it runs inside the container, so it must probe 127.0.0.1`);
      }
      if (Number(probePort) !== port) problems.push(`${composeName}: healthcheck probes port ${probePort} but the service listens on ${port}`);
      if (!routes.all.includes(path))
        problems.push(`${composeName}: healthcheck probes ${path}, a route the service does not serve (${routes.all.join(', ')})`);
      else if (path !== routes.ready) problems.push(`${composeName}: healthcheck probes ${path}; "healthy" must mean ready (${routes.ready})`);
    }
    for (const mapping of service.ports ?? []) {
      if (mapping.target !== port) problems.push(`${composeName}: publishes container port ${mapping.target} but the service listens on ${port}`);
    }
  }
  // Service URLs handed to the services: host = the compose service, port = where it listens.
  for (const [composeName] of services) {
    for (const [key, value] of Object.entries(project.services[composeName]?.environment ?? {})) {
      const wanted = /^([A-Z]+)_SERVICE_URL$/.exec(key)?.[1]?.toLowerCase();
      if (!wanted || !value) continue;
      const url = /^https?:\/\/([^/:]+):(\d+)/.exec(value);
      const target = url ? listening.get(url[1] as string) : undefined;
      if (!url || !target || target.name !== wanted || target.port !== Number(url[2])) {
        problems.push(`${composeName}: ${key}=${value} does not point at ${wanted}-service's compose service and port`);
      }
    }
  }
  return problems;
}

/** Each existing service accepts the environment compose gives it (required settings present, values valid). */
export function checkComposeConfig(project: ComposeProject, facts: Record<ServiceName, ServiceFacts>): string[] {
  const problems: string[] = [];
  for (const [composeName, dir] of composeServices(project)) {
    const fact = facts[dir as ServiceName];
    const env = Object.fromEntries(Object.entries(project.services[composeName]?.environment ?? {}).map(([k, v]) => [k, v ?? undefined]));
    const problem = fact && configProblem(fact, env);
    if (problem) problems.push(`${composeName}: ${problem}`);
  }
  return problems;
}

// --- Kubernetes ------------------------------------------------------------------------------------

export interface K8sResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field below
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export function parseManifests(text: string): K8sResource[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]?.message}`);
      return document.toJS() as K8sResource | null;
    })
    .filter((resource): resource is K8sResource => resource !== null);
}

interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: { name: string; key: string } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}
interface Probe {
  httpGet?: { path?: string; port: number | string };
}

const find = (resources: K8sResource[], kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);

function containerOf(deployment: K8sResource): Container | undefined {
  const containers: Container[] = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.name === deployment.metadata.name) ?? containers[0];
}

function resolvePort(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port && /^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * Every service's Deployment listens on its port, probes readiness at the ready route and
 * liveness at the live route on that port; its Service forwards that port; an autoscaler and a
 * disruption budget cover it; the *_SERVICE_URL settings point at the Services.
 */
export function checkK8sProbes(resources: K8sResource[], facts: Record<ServiceName, ServiceFacts>, routes: HealthRoutes): string[] {
  const problems: string[] = [];
  for (const name of SERVICE_NAMES) {
    const fact = facts[name];
    const id = `${name}-service`;
    const deployment = find(resources, 'Deployment', id);
    const container = deployment && containerOf(deployment);
    if (!deployment || !container) {
      problems.push(`${id}: no Deployment (with a container)`);
      continue;
    }
    const podLabels: Record<string, string> = deployment.spec?.template?.metadata?.labels ?? {};
    const http = container.ports?.find((p) => p.name === 'http') ?? (container.ports?.length === 1 ? container.ports[0] : undefined);
    if (http?.containerPort !== fact.port) problems.push(`${id}: containerPort ${http?.containerPort} but the service listens on ${fact.port}`);
    const envPort = container.env?.find((e) => e.name === 'PORT')?.value;
    if (envPort !== undefined && Number(envPort) !== fact.port) problems.push(`${id}: PORT=${envPort} but the service's port is ${fact.port}`);

    const probes: [string, Probe | undefined, string | undefined][] = [
      ['readinessProbe', container.readinessProbe, routes.ready],
      ['livenessProbe', container.livenessProbe, routes.live],
      ['startupProbe', container.startupProbe, undefined],
    ];
    for (const [kind, probe, wantedPath] of probes) {
      if (!probe) {
        if (kind !== 'startupProbe') problems.push(`${id}: no ${kind}`);
        continue;
      }
      if (!probe.httpGet) {
        problems.push(`${id}: ${kind} is not an httpGet probe`);
        continue;
      }
      const path = probe.httpGet.path ?? '/';
      const port = resolvePort(container, probe.httpGet.port);
      if (port !== fact.port) problems.push(`${id}: ${kind} probes port ${probe.httpGet.port} (${port}) but the service listens on ${fact.port}`);
      if (!routes.all.includes(path)) problems.push(`${id}: ${kind} probes ${path}, a route the service does not serve (${routes.all.join(', ')})`);
      else if (wantedPath && path !== wantedPath) problems.push(`${id}: ${kind} probes ${path}; it must probe ${wantedPath}`);
    }

    const service = find(resources, 'Service', id);
    if (!service) {
      problems.push(`${id}: no Service`);
    } else {
      if (!selects(service.spec?.selector, podLabels)) problems.push(`${id}: the Service's selector does not select the Deployment's pods`);
      const servicePort = service.spec?.ports?.[0];
      if (servicePort?.port !== fact.port) problems.push(`${id}: the Service exposes port ${servicePort?.port}, not ${fact.port}`);
      const target = resolvePort(container, servicePort?.targetPort ?? servicePort?.port);
      if (target !== fact.port) problems.push(`${id}: the Service forwards to port ${servicePort?.targetPort} (${target}), not ${fact.port}`);
    }
    const hpa = resources.find(
      (r) => r.kind === 'HorizontalPodAutoscaler' && r.spec?.scaleTargetRef?.kind === 'Deployment' && r.spec?.scaleTargetRef?.name === id,
    );
    if (!hpa) problems.push(`${id}: no HorizontalPodAutoscaler scales it`);
    const pdb = resources.find((r) => r.kind === 'PodDisruptionBudget' && selects(r.spec?.selector?.matchLabels, podLabels));
    if (!pdb) problems.push(`${id}: no PodDisruptionBudget covers its pods`);

    for (const [key, value] of Object.entries(containerEnv(resources, container))) {
      const wanted = /^([A-Z]+)_SERVICE_URL$/.exec(key)?.[1]?.toLowerCase() as ServiceName | undefined;
      if (!wanted || !value) continue;
      const url = /^https?:\/\/([^/:.]+)(?:\.[^/:]*)?:(\d+)/.exec(value);
      const targetService = url && find(resources, 'Service', url[1] as string);
      const ok = url && url[1] === `${wanted}-service` && targetService?.spec?.ports?.some((p: { port: number }) => p.port === Number(url[2]));
      if (!ok) problems.push(`${id}: ${key}=${value} does not point at the ${wanted}-service Service and its port`);
    }
  }
  return problems;
}

/** A stand-in for a secret created in the cluster: the operator's connection string is a mongodb:// URI, the others opaque strings. */
const secretPlaceholder = (name: string) =>
  name === 'MONGO_URI' ? 'mongodb://user:password@shop-mongodb-svc:27017/admin' : 'secret-from-the-cluster-0123456789abcdef';

/** The environment a container gets; secrets not in the manifests (created in the cluster) become placeholders. */
export function containerEnv(resources: K8sResource[], container: Container): Record<string, string> {
  const secretData = (name: string): Record<string, string> | undefined => {
    const secret = find(resources, 'Secret', name);
    if (!secret) return undefined;
    const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    return { ...decoded, ...secret.stringData };
  };
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, find(resources, 'ConfigMap', from.configMapRef.name)?.data);
    if (from.secretRef) Object.assign(env, secretData(from.secretRef.name));
  }
  for (const entry of container.env ?? []) {
    const secretRef = entry.valueFrom?.secretKeyRef;
    const configRef = entry.valueFrom?.configMapKeyRef;
    if (entry.value !== undefined) env[entry.name] = entry.value;
    else if (configRef) env[entry.name] = find(resources, 'ConfigMap', configRef.name)?.data?.[configRef.key] ?? '';
    else if (secretRef) {
      const value = secretData(secretRef.name)?.[secretRef.key];
      if (value !== undefined) env[entry.name] = value;
      else if (!secretRef.optional) env[entry.name] = secretPlaceholder(entry.name);
      // An optional key that is not in the manifests counts as absent: no variable at all.
    }
  }
  return env;
}

/** Each existing service accepts the environment its Deployment gives it. */
export function checkK8sConfig(resources: K8sResource[], facts: Record<ServiceName, ServiceFacts>): string[] {
  const problems: string[] = [];
  for (const name of SERVICE_NAMES) {
    const deployment = find(resources, 'Deployment', `${name}-service`);
    const container = deployment && containerOf(deployment);
    if (!container) continue;
    const problem = configProblem(facts[name], containerEnv(resources, container));
    if (problem) problems.push(`${name}-service: ${problem}`);
  }
  return problems;
}

// --- Custom resource definitions → JSON schemas for kubeconform ------------------------------------

/** Strict JSON schema of a CRD version (like kubeconform's openapi2jsonschema): unknown fields are errors. */
function toStrictJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStrictJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) out[key] = toStrictJsonSchema(value);
  if (source['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (source.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (source.properties && source.additionalProperties === undefined && source['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** Writes `<kind>_<version>.json` for every served version of these CRDs; returns the kinds. */
export function writeCrdSchemas(crdFiles: string[], outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const kinds: string[] = [];
  for (const file of crdFiles) {
    for (const crd of parseManifests(readFileSync(file, 'utf8'))) {
      const kind = crd.spec.names.kind as string;
      for (const version of crd.spec.versions as { name: string; served: boolean; schema: { openAPIV3Schema: unknown } }[]) {
        if (!version.served) continue;
        writeFileSync(join(outDir, `${kind.toLowerCase()}_${version.name}.json`), JSON.stringify(toStrictJsonSchema(version.schema.openAPIV3Schema)));
      }
      kinds.push(kind);
    }
  }
  return kinds;
}

// --- external tools ----------------------------------------------------------------------------------

export interface Tools {
  dockerCompose: string;
  composeConfig: string;
  kubeconform: string;
  kustomize: string;
  kubernetesVersions: string[];
  kubernetesSchemas: string;
  crds: string[];
}

/** The tools deploy/check-tools.sh installed; a clear failure (never a skip) when they are missing. */
export function tools(): Tools {
  const manifest = join(ROOT, '.cache/deploy/tools.json');
  const hint = 'run deploy/check-tools.sh (scripts/test.sh does)';
  if (!existsSync(manifest)) throw new Error(`The deployment checks need their tools: ${manifest} is missing; ${hint}`);
  const found = JSON.parse(readFileSync(manifest, 'utf8')) as Tools;
  for (const key of ['dockerCompose', 'composeConfig', 'kubeconform', 'kustomize'] as const) {
    try {
      accessSync(found[key], constants.X_OK);
    } catch {
      throw new Error(`${key} is not installed at ${found[key]}; ${hint}`);
    }
  }
  for (const path of [found.kubernetesSchemas, ...found.crds]) {
    if (!existsSync(path)) throw new Error(`${path} is missing; ${hint}`);
  }
  return found;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool in a clean environment (no KAFKA_BROKER/MONGO_URI/... of the test run leaking into compose interpolation). */
export function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runOk(command: string, args: string[], options?: { cwd?: string; env?: Record<string, string> }): string {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The project docker compose would run: compose-go's resolution of docker-compose.yml with this env file. */
export function resolvedCompose(composeConfig: string, envFile: string, file = join(ROOT, 'docker-compose.yml')): ComposeProject {
  return JSON.parse(runOk(composeConfig, ['--env-file', envFile, file])) as ComposeProject;
}
