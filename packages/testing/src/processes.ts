import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TELEMETRY = resolve(ROOT, 'packages/platform/src/telemetry/register.ts');

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** SIGTERM and wait: a graceful stop. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The status of a GET (node:http: fetch refuses some ports, 6000 among them), or 0 when unreachable. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    get(url, { signal: AbortSignal.timeout(1000) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

/** Polls `url` until it answers 2xx, or throws after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusOf(url);
    if (status >= 200 && status < 300) return;
    if (Date.now() > deadline) throw new Error(`${url} did not become ready in ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Starts `services/<name>/src/server.ts` as a real process (as in production) and waits for
 * `/health/ready`. Use it where a test must crash or restart a service.
 */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  // As in production: OpenTelemetry registered before the service's modules load (docs/observability.md).
  const child = spawn(process.execPath, ['--import', TELEMETRY, resolve(ROOT, `services/${name}/src/server.ts`)], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForOk(`${url}/health/ready`, options.timeoutMs),
      exited.then(() => {
        throw new Error(`${name} exited early`);
      }),
    ]);
  } catch (error) {
    await stopWith('SIGKILL');
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output}`);
  }
  return { name, url, port, child, output: () => output, stop: () => stopWith('SIGTERM'), kill: () => stopWith('SIGKILL') };
}
