import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topics } from '@shop/contracts';
import { freshGroupAtEnd } from '@shop/testing/consumer-group';
import { testEnv } from '@shop/testing/env';
import { startServiceProcess } from '@shop/testing/processes';
import { serviceNames, startSystem } from '../e2e/system.ts';

// The OpenAPI documents the services serve, committed under docs/openapi/ so a newcomer (and the
// web app's generated client) can read them without running anything. scripts/openapi.sh writes
// them; tests/openapi/documents.test.ts fails when one is out of date.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DOCS_DIR = resolve(ROOT, 'docs/openapi');
const gatewayServer = resolve(ROOT, 'services/gateway/src/server.ts');

export const committedPath = (name: string) => resolve(DOCS_DIR, `${name}.json`);

/** The form a document is committed in: stable key order as served, two-space indent, newline at the end. */
export const serialize = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

/** Starts every service (and the gateway, once it exists), reads each `/openapi.json`, stops them. */
export async function servedDocuments(): Promise<Map<string, unknown>> {
  const system = await startSystem();
  const stops = [() => system.stop()];
  try {
    const urls = new Map<string, string>(serviceNames.map((name) => [name, system.url[name]]));
    if (existsSync(gatewayServer)) {
      const brokers = (process.env.KAFKA_BROKER ?? '127.0.0.1:19092').split(',');
      const gateway = await startServiceProcess('gateway', {
        ...testEnv(),
        KAFKA_GROUP_ID: await freshGroupAtEnd('openapi-gateway', Object.values(topics), brokers),
        WEB_DIST_DIR: resolve(ROOT, 'web/dist'),
        ...Object.fromEntries(serviceNames.map((name) => [`${name.toUpperCase()}_SERVICE_URL`, system.url[name]])),
      });
      stops.unshift(() => gateway.stop());
      urls.set('gateway', gateway.url);
    }
    const documents = new Map<string, unknown>();
    for (const [name, url] of urls) {
      const response = await fetch(`${url}/openapi.json`);
      if (!response.ok) throw new Error(`${name}: GET /openapi.json answered ${response.status}`);
      documents.set(name, await response.json());
    }
    return documents;
  } finally {
    for (const stop of stops) await stop();
  }
}

/** Writes each served document to docs/openapi/<service>.json. */
export async function writeDocuments(documents: Map<string, unknown>): Promise<void> {
  for (const [name, document] of documents) await writeFile(committedPath(name), serialize(document));
}

/** The committed text of a document, or null when there is none. */
export async function committedText(name: string): Promise<string | null> {
  return readFile(committedPath(name), 'utf8').catch(() => null);
}
