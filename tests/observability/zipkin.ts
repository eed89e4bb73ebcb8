import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@shop/testing/processes';

const ZIPKIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../infra/bin/zipkin');
const run = promisify(execFile);

/** A span as Zipkin's v2 API returns it. */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

export interface Zipkin {
  url: string;
  /** The spans of one trace (`GET /api/v2/trace/{id}`); empty while Zipkin has none. */
  trace(traceId: string): Promise<ZipkinSpan[]>;
  /** The services Zipkin has spans from (`GET /api/v2/services`). */
  services(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A Zipkin of the test's own, started by the project's script (infra/bin/zipkin) on a free port
 * with a data directory of its own, so test files and suites side by side never share one;
 * ZIPKIN_URL names a running one instead.
 */
export async function startZipkin(): Promise<Zipkin> {
  let url = process.env.ZIPKIN_URL;
  let stop = async () => {};
  if (!url) {
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'zipkin-test-'));
    const env = { ...process.env, INFRA_DATA_DIR: dir, ZIPKIN_PORT: String(port) };
    await run(ZIPKIN, ['start'], { env });
    url = `http://127.0.0.1:${port}`;
    stop = async () => {
      await run(ZIPKIN, ['stop'], { env }).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    };
  }
  const base = url;
  const json = async <T>(path: string, empty: T): Promise<T> => {
    const answer = await fetch(`${base}${path}`);
    return answer.status === 200 ? ((await answer.json()) as T) : empty;
  };
  return { url: base, trace: (id) => json(`/api/v2/trace/${id}`, []), services: () => json('/api/v2/services', []), stop };
}

/** Polls `probe` until `accept` holds, or throws with the last value after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms; last: ${JSON.stringify(value).slice(0, 2000)}`);
    await sleep(250);
  }
}
