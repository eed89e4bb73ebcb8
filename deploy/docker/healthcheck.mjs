// Container healthcheck of a shop service image (no curl in slim images: node:http instead; not
// fetch, which refuses the "bad port" 6000 that inventory-service listens on).
//
//   node /app/healthcheck.mjs                  probe http://127.0.0.1:$PORT/health/ready
//   node /app/healthcheck.mjs <url>            probe that URL (docker-compose.yml names it explicitly)
//   node healthcheck.mjs --print-default-port <services/x/src/config.ts>
//                                              print the service's default PORT (used at image build)
//
// Exit 0 when the answer is 2xx, 1 otherwise (refused, timeout, 503 while MongoDB/Kafka are down).
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
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

function probe(url) {
  return new Promise((resolve) => {
    const req = get(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(0);
        console.error(`${url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
        resolve(1);
      });
    });
    req.on('error', (error) => {
      console.error(`${url} unreachable: ${error.message}`);
      resolve(1);
    });
  });
}

const [first, second] = process.argv.slice(2);
if (first === '--print-default-port') {
  process.stdout.write(`${await defaultPort(second)}\n`);
} else {
  process.exitCode = await probe(first ?? `http://127.0.0.1:${portOfThisImage()}${READY_PATH}`);
}
