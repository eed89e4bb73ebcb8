import { randomBytes } from 'node:crypto';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/platform/testing/consumer-group';
import { testEnv } from '@shop/platform/testing/env';
import { freePort, type ServiceProcess, startServiceProcess } from '@shop/platform/testing/processes';

export const serviceNames = ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification'] as const;
export type ServiceName = (typeof serviceNames)[number];

export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-1' };

/** The mail catcher started by scripts/test.sh (infra/bin/mail). */
export const mailApi = () => `http://127.0.0.1:${process.env.MAIL_HTTP_PORT ?? '18025'}`;

export interface System {
  url: Record<ServiceName, string>;
  processes: Map<ServiceName, ServiceProcess>;
  /** SIGKILL one service and start it again on the same port and database. */
  restart(name: ServiceName, options?: { crash?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * All seven services as real processes on free ports, each with a database of its own (a
 * fresh prefix per system), sharing one Kafka, one MongoDB-wire server and the mail catcher.
 */
export async function startSystem(overrides: Partial<Record<string, string>> = {}): Promise<System> {
  const ports = Object.fromEntries(await Promise.all(serviceNames.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
  const url = Object.fromEntries(serviceNames.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>;
  const prefix = `e2e_${randomBytes(4).toString('hex')}`;
  const shared = {
    ...testEnv(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SCRYPT_COST: '1024',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: process.env.SMTP_PORT ?? '11025',
    ...Object.fromEntries(serviceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, url[name]])),
    ...overrides,
  } as Record<string, string>;
  // Consumer groups of this system's own, starting at the topics' ends: systems that share the
  // test Kafka (test files run side by side) must not take each other's events. They are made on
  // the Kafka the services use, the KAFKA_BROKER override included.
  const brokers = shared.KAFKA_BROKER.split(',');
  const groups = Object.fromEntries(
    await Promise.all(serviceNames.map(async (name) => [name, await freshGroupAtEnd(`${prefix}-${name}`, Object.values(topics), brokers)] as const)),
  ) as Record<ServiceName, string>;
  const envOf = (name: ServiceName) => ({ ...shared, MONGO_DB: `${prefix}_${name}`, KAFKA_GROUP_ID: groups[name] });
  const processes = new Map<ServiceName, ServiceProcess>();
  const started = await Promise.allSettled(
    serviceNames.map(async (name) => processes.set(name, await startServiceProcess(name, envOf(name), { port: ports[name], timeoutMs: 60_000 }))),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all([...processes.values()].map((p) => p.kill()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return {
    url,
    processes,
    async restart(name, { crash = true } = {}) {
      const old = processes.get(name);
      await (crash ? old?.kill() : old?.stop());
      processes.set(name, await startServiceProcess(name, envOf(name), { port: ports[name], timeoutMs: 60_000 }));
    },
    async stop() {
      await Promise.all([...processes.values()].map((p) => p.stop()));
    },
  };
}
