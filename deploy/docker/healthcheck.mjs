// Container healthcheck of a shop service image (no curl in slim images: node's fetch instead).
//
//   node /app/healthcheck.mjs                  probe http://127.0.0.1:$PORT/health/ready
//   node /app/healthcheck.mjs <url>            probe that URL (docker-compose.yml names it explicitly)
//   node healthcheck.mjs --print-default-port <services/x/src/config.ts>
//                                              print the service's default PORT (used at image build)
//
// Exit 0 when the answer is 2xx, 1 otherwise (refused, timeout, 503 while MongoDB/Kafka are down).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const READY_PATH = '/health/ready';
const TIMEOUT_MS = 4000;

/** The default PORT declared by a service's config schema: `serviceConfigSchema({ PORT: 8080, ... })`. */
async function defaultPort(configFile) {
  const module = await import(pathToFileURL(resolve(configFile)).href);
  for (const value of Object.values(module)) {
    const port = value?.properties?.PORT?.default;
    if (Number.isInteger(port) && port > 0) return port;
  }
  throw new Error(`${configFile} exports no config schema with a default PORT`);
}

function portOfThisImage() {
  if (process.env.PORT) return process.env.PORT;
  // Written at build time next to this script (see Dockerfile).
  return readFileSync(new URL('./.service-port', import.meta.url), 'utf8').trim();
}

async function probe(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (response.ok) return 0;
    console.error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  } catch (error) {
    console.error(`${url} unreachable: ${error.message}`);
  }
  return 1;
}

const [first, second] = process.argv.slice(2);
if (first === '--print-default-port') {
  process.stdout.write(`${await defaultPort(second)}\n`);
} else {
  process.exitCode = await probe(first ?? `http://127.0.0.1:${portOfThisImage()}${READY_PATH}`);
}
