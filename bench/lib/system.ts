import { randomBytes } from 'node:crypto';
import { testEnv } from '@shop/testing/env';
import { freePorts, type ServiceProcess, startServiceProcess } from '@shop/testing/processes';
import { ADMIN, type ServiceName, serviceNames } from '../../tests/e2e/system.ts';

export { ADMIN, type ServiceName, serviceNames };

/**
 * All seven services as real processes, like tests/e2e/system.ts, but with what a benchmark
 * needs on top: the database name of each service (to seed the catalog in bulk) and extra
 * env per service (to run it under `--cpu-prof`).
 */
export interface BenchSystem {
  prefix: string;
  url: Record<ServiceName, string>;
  dbName(name: ServiceName): string;
  processes: Map<ServiceName, ServiceProcess>;
  /** Graceful stop (SIGTERM), so a process under `--cpu-prof` writes its profile. */
  stop(): Promise<void>;
}

export async function startBenchSystem(
  overrides: Record<string, string> = {},
  envOfService: (name: ServiceName) => Record<string, string> = () => ({}),
  /** Databases of an earlier start to run on again (e.g. the same system restarted without the profiler). */
  options: { prefix?: string } = {},
): Promise<BenchSystem> {
  const chosen = await freePorts(serviceNames.length);
  const ports = Object.fromEntries(serviceNames.map((name, i) => [name, chosen[i]])) as Record<ServiceName, number>;
  const url = Object.fromEntries(serviceNames.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>;
  const prefix = options.prefix ?? `bench_${randomBytes(4).toString('hex')}`;
  const shared: Record<string, string> = {
    ...testEnv(),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Cheap password hashing: the benchmark registers users for its carts and orders; login cost is not what it measures.
    SCRYPT_COST: '1024',
    // Production defaults where testEnv() shortens or relaxes them: the outbox relay's safety-net
    // scan, and user tokens checked with user-service (revocable tokens cost a lookup per user and interval).
    OUTBOX_POLL_MS: '30000',
    TOKEN_REVOCATION: 'checked',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: process.env.SMTP_PORT ?? '1025',
    ...Object.fromEntries(serviceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, url[name]])),
    ...overrides,
  };
  const dbName = (name: ServiceName) => `${prefix}_${name}`;
  const envOf = (name: ServiceName, extra: Record<string, string> = {}) => ({ ...shared, MONGO_DB: dbName(name), ...extra });
  const start = (name: ServiceName, extra?: Record<string, string>) => startServiceProcess(name, envOf(name, extra), { port: ports[name], timeoutMs: 90_000 });
  const processes = new Map<ServiceName, ServiceProcess>();
  const started = await Promise.allSettled(serviceNames.map(async (name) => processes.set(name, await start(name, envOfService(name)))));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all([...processes.values()].map((p) => p.kill()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return {
    prefix,
    url,
    dbName,
    processes,
    async stop() {
      await Promise.all([...processes.values()].map((p) => p.stop()));
    },
  };
}
