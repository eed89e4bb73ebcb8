import { randomBytes } from 'node:crypto';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { freePorts, onFreshPorts, type ServiceProcess, startServiceProcess } from '@shop/testing/processes';

export const serviceNames = ['user', 'product', 'inventory', 'cart', 'order', 'payment', 'notification'] as const;
export type ServiceName = (typeof serviceNames)[number];

export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-1' };

/** The mail catcher started by scripts/test.sh (infra/bin/mail). */
export const mailApi = () => `http://127.0.0.1:${process.env.MAIL_HTTP_PORT ?? '18025'}`;

export interface SystemOptions {
  /** Processes per service (default 1). Replicas share the service's database and consumer group. */
  replicas?: Partial<Record<ServiceName, number>>;
}

export interface System {
  /** Each service's first replica. */
  url: Record<ServiceName, string>;
  /** Every replica of each service, the first being `url[name]`. */
  urls: Record<ServiceName, string[]>;
  /** The processes of each service, by replica (a killed one stays in its place). */
  processes: Map<ServiceName, ServiceProcess[]>;
  /** SIGKILL one replica (default the first) and start it again on the same port and database. */
  restart(name: ServiceName, options?: { crash?: boolean; replica?: number }): Promise<void>;
  /** SIGKILL one replica and leave it down. */
  kill(name: ServiceName, replica: number): Promise<void>;
  /** Every process, all replicas. */
  all(): ServiceProcess[];
  stop(): Promise<void>;
}

/**
 * All seven services as real processes on free ports, each service with a database of its own (a
 * fresh prefix per system), sharing one Kafka, one MongoDB-wire server and the mail catcher.
 *
 * With `replicas`, replica i of a service calls replica i (mod their count) of each service it
 * depends on: with two order- and two inventory-services, each inventory replica gets the
 * reservations of one order replica. So when replica 1 of every pair is killed, only clients
 * (which can try another replica) and other replica-1 processes were calling it.
 */
export async function startSystem(overrides: Partial<Record<string, string>> = {}, options: SystemOptions = {}): Promise<System> {
  // Each service is told the others' ports before they start, so a port taken meanwhile by
  // another test's process means starting over on new ones.
  return onFreshPorts(() => startSystemOnce(overrides, options));
}

async function startSystemOnce(overrides: Partial<Record<string, string>>, options: SystemOptions): Promise<System> {
  const count = (name: ServiceName) => options.replicas?.[name] ?? 1;
  const chosen = await freePorts(serviceNames.reduce((sum, name) => sum + count(name), 0));
  const ports = Object.fromEntries(serviceNames.map((name) => [name, chosen.splice(0, count(name))])) as Record<ServiceName, number[]>;
  const urls = Object.fromEntries(serviceNames.map((name) => [name, ports[name].map((port) => `http://127.0.0.1:${port}`)])) as Record<ServiceName, string[]>;
  const url = Object.fromEntries(serviceNames.map((name) => [name, urls[name][0]])) as Record<ServiceName, string>;
  const prefix = `e2e_${randomBytes(4).toString('hex')}`;
  const base = {
    ...testEnv(),
    // The whole system, user-service included: user tokens are checked as in a deployment.
    TOKEN_REVOCATION: 'checked',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SCRYPT_COST: '1024',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: process.env.SMTP_PORT ?? '11025',
  } as Record<string, string>;
  const callees = (replica: number) =>
    Object.fromEntries(serviceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, urls[name][replica % urls[name].length] as string]));
  // Consumer groups of this system's own, starting at the topics' ends: systems that share the
  // test Kafka (test files run side by side) must not take each other's events. They are made on
  // the Kafka the services use, the KAFKA_BROKER override included.
  const brokers = (overrides.KAFKA_BROKER ?? base.KAFKA_BROKER).split(',');
  const groups = Object.fromEntries(
    await Promise.all(serviceNames.map(async (name) => [name, await freshGroupAtEnd(`${prefix}-${name}`, Object.values(topics), brokers)] as const)),
  ) as Record<ServiceName, string>;
  const envOf = (name: ServiceName, replica: number) =>
    ({ ...base, ...callees(replica), ...overrides, MONGO_DB: `${prefix}_${name}`, KAFKA_GROUP_ID: groups[name] }) as Record<string, string>;
  const launch = (name: ServiceName, replica: number) =>
    startServiceProcess(name, envOf(name, replica), { port: ports[name][replica] as number, timeoutMs: 60_000 });

  const processes = new Map<ServiceName, ServiceProcess[]>(serviceNames.map((name) => [name, []]));
  const all = () => [...processes.values()].flat();
  const replicaOf = (name: ServiceName, replica: number) => {
    const running = processes.get(name)?.[replica];
    if (!running) throw new Error(`${name} has no replica ${replica}`);
    return running;
  };
  const started = await Promise.allSettled(
    serviceNames.flatMap((name) =>
      ports[name].map(async (_, replica) => {
        (processes.get(name) as ServiceProcess[])[replica] = await launch(name, replica);
      }),
    ),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(all().map((p) => p.kill()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return {
    url,
    urls,
    processes,
    all,
    async restart(name, { crash = true, replica = 0 } = {}) {
      const old = replicaOf(name, replica);
      await (crash ? old.kill() : old.stop());
      (processes.get(name) as ServiceProcess[])[replica] = await launch(name, replica);
    },
    async kill(name, replica) {
      await replicaOf(name, replica).kill();
    },
    async stop() {
      await Promise.all(all().map((p) => p.stop()));
    },
  };
}
