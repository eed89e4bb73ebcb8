import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { instanceOf } from '@shop/platform/http/health';

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

/**
 * `count` free TCP ports on loopback, all different: each is held until all are chosen (a port
 * closed at once can be handed out again by the next listen).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  await Promise.all(servers.map((server) => once(server, 'listening')));
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0] as number;
}

/** The status and body of a GET (node:http: fetch refuses some ports, 6000 among them); status 0 when unreachable. */
function answerOf(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    get(url, { signal: AbortSignal.timeout(1000) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    }).on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** Polls `url` until it answers 2xx (and `accept` takes the body), or throws after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs = 30_000, accept: (body: string) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await answerOf(url);
    if (status >= 200 && status < 300 && accept(body)) return;
    if (Date.now() > deadline) throw new Error(`${url} did not become ready in ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The service could not listen: another process held its port first (it exited with EADDRINUSE). */
export class PortTakenError extends Error {}

/** Runs `start` (which chooses free ports of its own) again while a port it chose was taken meanwhile; at most 3 times. */
export async function onFreshPorts<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

/**
 * Starts `services/<name>/src/server.ts` as a real process (as in production) and waits until
 * `/health/ready` answers from that process (its `instance` names the child's pid: a port freed
 * by freePort can be taken by another test's process meanwhile, and its answer must not count).
 * Without a given port, a port taken meanwhile is retried on another one; with one, it throws
 * PortTakenError for the caller (who chose the port) to decide.
 */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const { port, timeoutMs } = options;
  if (port !== undefined) return startOnPort(name, env, port, timeoutMs);
  return onFreshPorts(async () => startOnPort(name, env, await freePort(), timeoutMs));
}

async function startOnPort(name: string, env: Record<string, string>, port: number, timeoutMs?: number): Promise<ServiceProcess> {
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
  const instance = instanceOf(child.pid as number);
  const fromChild = (body: string) => {
    try {
      return (JSON.parse(body) as { instance?: string }).instance === instance;
    } catch {
      return false;
    }
  };
  try {
    await Promise.race([
      waitForOk(`${url}/health/ready`, timeoutMs, fromChild),
      exited.then(() => {
        throw /EADDRINUSE/.test(output) ? new PortTakenError(`port ${port} was taken`) : new Error(`${name} exited early`);
      }),
    ]);
  } catch (error) {
    await stopWith('SIGKILL');
    if (error instanceof PortTakenError) throw error;
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output}`);
  }
  return { name, url, port, child, output: () => output, stop: () => stopWith('SIGTERM'), kill: () => stopWith('SIGKILL') };
}
