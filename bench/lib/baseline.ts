import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForOk } from '@shop/testing/processes';

const SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '../baseline-server.ts');

export interface BaselineServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts bench/baseline-server.ts as its own process, like a service, and waits until it answers. */
export async function startBaseline(env: { MONGO_URI: string; MONGO_DB: string; [name: string]: string }): Promise<BaselineServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    await waitForOk(`${url}/health`, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, pid: child.pid ?? 0, stop };
}
