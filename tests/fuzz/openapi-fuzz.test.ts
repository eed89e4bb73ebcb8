import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuth } from '@shop/platform/auth';
import { generateKeyPair } from '@shop/platform/keys';
import { type System, serviceNames, startSystem } from '../e2e/system.ts';
import { waitForSharedGroupsIdle } from './exclusive.ts';
import { describeViolations, fuzz, type Target } from './fuzzer.ts';
import { unknownIdPrefix } from './generate.ts';
import { type OpenApiDocument, type Operation, operationsOf } from './openapi.ts';
import { realIdFor, type Seeded, seed } from './seed.ts';
import { getJson } from './send.ts';
import { type DatabaseClient, takeSnapshot } from './snapshot.ts';

/**
 * Invariant 5 over every route of every service, read from each service's /openapi.json:
 * generated bad requests (see generate.ts) sent as an admin, as the customer who owns the seeded
 * data and anonymously. No 5xx, every 4xx a problem+json with its status, nothing written by a
 * refused request. FUZZ_SEED picks other cases; FUZZ_EXTRA adds random values per field.
 */
const seedNumber = Number(process.env.FUZZ_SEED ?? 1);
const extraPerField = Number(process.env.FUZZ_EXTRA ?? 3);
const marker = `fuzz${seedNumber}`;

let system: System | undefined;
let seeded: Seeded | undefined;

before(
  async () => {
    await waitForSharedGroupsIdle({ log: (line) => console.log(line) });
    // startSystem picks free ports before the services bind them; another process may take one
    // in between (EADDRINUSE). It cleans up after a failed start, so one more try is safe.
    system = await startSystem().catch((error) => {
      console.log(`startSystem failed, trying once more: ${(error as Error).message.split('\n')[0]}`);
      return startSystem();
    });
    seeded = await seed(system, marker);
  },
  { timeout: 720_000 },
);

after(async () => {
  await seeded?.mongo.close();
  await system?.stop();
});

test(`every route refuses bad input clearly and writes nothing (FUZZ_SEED=${seedNumber})`, { timeout: 300_000 }, async () => {
  assert.ok(system && seeded);
  const { admin, customer, mongo, databases } = seeded;

  // Stock is changed by inventory's accepted requests, so cart, order and payment go before
  // product and inventory; deleting goes last, so the seeded resources stay for everything else.
  const order = ['user', 'cart', 'order', 'payment', 'notification', 'product', 'inventory'];
  const all = await Promise.all(
    serviceNames.map(async (name) => {
      const baseUrl = system?.url[name] as string;
      const doc = await getJson<OpenApiDocument>(baseUrl, '/openapi.json');
      return operationsOf(name, doc).map((operation) => ({ baseUrl, operations: [operation] }));
    }),
  );
  const rank = (t: Target) => {
    const op = t.operations[0] as Operation;
    return Number(op.method === 'DELETE') * 100 + order.indexOf(op.service);
  };
  const targets = all.flat().sort((a, b) => rank(a) - rank(b));

  // Writes that name nothing of this run are other test files' events, consumed from the shared Kafka.
  const known = new Set([admin.id, customer.id, seeded.productId, seeded.stockId, seeded.cartId, seeded.orderId, seeded.reservationId, seeded.paymentId]);
  const relevant = (json: string) => {
    const text = json.toLowerCase();
    if (text.includes(marker) || text.includes(unknownIdPrefix) || /"\$(ne|gt|where|regex|exists|in|expr)"/.test(text)) return true;
    for (const id of known) if (text.includes(id)) return true;
    return false;
  };

  const forged = createAuth({ serviceName: 'user-service', ttlSeconds: 600, signingKey: generateKeyPair().privateKey, verifyKeys: new Map() }).issue({
    sub: customer.id,
    role: 'admin',
  });
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const report = await fuzz({
    targets,
    principals: [
      { name: 'admin', authorization: `Bearer ${admin.token}` },
      { name: 'customer (owner)', authorization: `Bearer ${customer.token}` },
      { name: 'anonymous' },
    ],
    seed: seedNumber,
    ...(process.env.FUZZ_ONLY ? { only: process.env.FUZZ_ONLY } : {}),
    context: {
      marker,
      realId: realIdFor(seeded),
      realIds: [...known],
      email: customer.email,
      extraPerField,
      bodyLimit: 64 * 1024,
      badAuthorizations: [
        'Bearer',
        'Bearer abc.def.ghi',
        'Basic YWRtaW46YWRtaW4=',
        `Bearer ${admin.token.slice(0, -4)}AAAA`,
        `Bearer ${forged}`,
        `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: customer.id, role: 'admin' })}.`,
      ],
    },
    snapshot: () => takeSnapshot(mongo.client as unknown as DatabaseClient, databases),
    relevant,
    // A reservation is made for an order id order-service has just created; inventory cannot know it.
    mayIntroduceIds: new Set(['POST /inventory/reserve body.orderId']),
    accepted: (text) => {
      for (const id of text.match(/\b[0-9a-f]{24}\b/g) ?? []) known.add(id);
    },
    log: (line) => {
      if (process.env.FUZZ_VERBOSE) console.log(line);
    },
  });

  console.log(
    `fuzz (seed ${seedNumber}): ${report.operations.length} operations, ${report.cases} cases, ${report.requests} requests, ` +
      `${report.operations.reduce((n, o) => n + o.accepted, 0)} accepted, ${report.violations.length} violations, ${Math.round(report.ms / 1000)} s ` +
      `(snapshots ${report.snapshots.count} × ${Math.round(report.snapshots.ms / Math.max(report.snapshots.count, 1))} ms, ` +
      `waiting for quiet ${report.settles.count}× ${Math.round(report.settles.ms / 1000)} s)`,
  );
  if (report.conflictWrites.length > 0) console.log(`409s that wrote (business conflicts, allowed):\n  ${report.conflictWrites.join('\n  ')}`);
  const failing = [...new Set(report.violations.map((v) => v.operation))];
  const reproduce = `FUZZ_SEED=${seedNumber} FUZZ_ONLY='${failing[0]}' node --test tests/fuzz/openapi-fuzz.test.ts`;
  assert.equal(report.violations.length, 0, `\n${describeViolations(report.violations)}\nreproduce one operation: ${reproduce}`);
});

test('every documented error answer is application/problem+json, and a known path asked with another method is a 405 with Allow', async () => {
  assert.ok(system);
  type Responses = Record<string, { content?: Record<string, unknown> }>;
  const wrong: string[] = [];
  let errors = 0;
  for (const name of serviceNames) {
    const doc = await getJson<{ paths: Record<string, Record<string, { responses?: Responses }>> }>(system.url[name], '/openapi.json');
    for (const [path, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations))
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          // A readiness probe's 503 is its report (which check failed), not an error document.
          if (Number(status) < 400 || path.startsWith('/health/')) continue;
          errors++;
          const types = Object.keys(response.content ?? {});
          if (types.join() !== 'application/problem+json') wrong.push(`${name} ${method.toUpperCase()} ${path} ${status}: ${types.join(', ') || 'no content'}`);
        }
  }
  assert.ok(errors > 50, `${errors} documented error answers`);
  assert.deepEqual(wrong, []);

  const put = await fetch(`${system.url.order}/order`, { method: 'PUT' });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get('allow'), 'POST');
  assert.match(String(put.headers.get('content-type')), /^application\/problem\+json/);
  assert.equal((await fetch(`${system.url.order}/nowhere`, { method: 'PUT' })).status, 404);
});
