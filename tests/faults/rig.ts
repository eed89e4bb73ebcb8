import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePorts } from '@shop/testing/processes';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

type Component = 'kafka' | 'mongo' | 'mail';
const startTimeoutMs: Record<Component, number> = { kafka: 120_000, mongo: 45_000, mail: 30_000 };

/**
 * Infrastructure of a fault scenario's own: a Kafka, a MongoDB-wire server and a mail catcher started with
 * infra/bin/* in a temporary data directory on free ports. Stopping them disturbs nobody else
 * (the rest of the suite shares scripts/test.sh's servers).
 */
export interface Rig {
  dataDir: string;
  brokers: string[];
  mongoUri: string;
  smtpPort: number;
  /** The catcher's HTTP API (mails, refusals). */
  mailApi: string;
  /** The env overrides that point a system (tests/e2e/system.ts) at this rig. */
  systemEnv: Record<string, string>;
  start(component: Component): Promise<void>;
  stop(component: Component): Promise<void>;
  /** The catcher answers 451 to every recipient (`on`) or accepts again. */
  refuseMail(on: boolean): Promise<void>;
  /** Stops everything and removes the data directory; safe to call twice. */
  close(): Promise<void>;
}

const live = new Set<{ stopNow(): void }>();
let guarded = false;
/** If the test process ends early (signal, uncaught error), the rigs' servers must not outlive it. */
function guardExit() {
  if (guarded) return;
  guarded = true;
  const stopAll = () => {
    for (const rig of live) rig.stopNow();
  };
  process.once('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export async function startRig(label: string): Promise<Rig> {
  guardExit();
  const dataDir = await mkdtemp(join(tmpdir(), `faults-${label}-`));
  const [kafkaPort, controllerPort, mongoPort, smtpPort, mailHttpPort] = await freePorts(5);
  // The scripts manage nothing when KAFKA_BROKER / MONGO_URI / SMTP_HOST point elsewhere.
  const { KAFKA_BROKER: _k, MONGO_URI: _m, SMTP_HOST: _s, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    // infra/bin/mail runs the catcher with the `node` on PATH: the one running these tests.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    INFRA_DATA_DIR: dataDir,
    KAFKA_PORT: String(kafkaPort),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    MONGO_PORT: String(mongoPort),
    SMTP_PORT: String(smtpPort),
    MAIL_HTTP_PORT: String(mailHttpPort),
  };
  const script = (component: Component) => join(ROOT, 'infra/bin', component);
  const act = async (component: Component, action: 'start' | 'stop') => {
    try {
      await run(script(component), [action], { env, timeout: action === 'start' ? startTimeoutMs[component] : 60_000 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${component} ${action} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  };
  const mailApi = `http://127.0.0.1:${mailHttpPort}`;
  let closed = false;
  const handle = {
    stopNow() {
      for (const component of ['mail', 'kafka', 'mongo'] as const) spawnSync(script(component), ['stop'], { env, timeout: 60_000, stdio: 'ignore' });
      spawnSync('rm', ['-rf', dataDir]);
    },
  };
  live.add(handle);
  const rig: Rig = {
    dataDir,
    brokers: [`127.0.0.1:${kafkaPort}`],
    mongoUri: `mongodb://127.0.0.1:${mongoPort}`,
    smtpPort,
    mailApi,
    systemEnv: { KAFKA_BROKER: `127.0.0.1:${kafkaPort}`, MONGO_URI: `mongodb://127.0.0.1:${mongoPort}`, SMTP_PORT: String(smtpPort), SMTP_HOST: '127.0.0.1' },
    start: (component) => act(component, 'start'),
    stop: (component) => act(component, 'stop'),
    async refuseMail(on) {
      const response = await fetch(`${mailApi}/api/refuse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ on }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`mail catcher refused the refusal switch: ${response.status}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled((['mail', 'kafka', 'mongo'] as const).map((c) => act(c, 'stop')));
      live.delete(handle);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all((['kafka', 'mongo', 'mail'] as const).map((c) => rig.start(c)));
  } catch (error) {
    await rig.close();
    throw error;
  }
  return rig;
}
