import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuth } from '@shop/platform/auth';
import { notFound } from '@shop/platform/errors';
import { createHttpServer, type HttpApp } from '@shop/platform/http/server';
import { createLogger } from '@shop/platform/log';
import { type FuzzReport, fuzz } from './fuzzer.ts';
import { unknownIdPrefix } from './generate.ts';
import { type OpenApiDocument, operationsOf } from './openapi.ts';
import { getJson } from './send.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * The fuzzer can fail: a throw-away service on the platform's HTTP server with one bug per
 * route — a write before validation, a 500 on an unknown id, a 400 that is not problem+json,
 * accepting an unknown id — and one correct route. Each bug must be reported, the correct route
 * must not be. Needs no Kafka or MongoDB (the "database" is an array).
 */
const realId = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const id = { type: 'string', pattern: '^[0-9a-fA-F]{24}$' };
const widgetBody = {
  type: 'object',
  required: ['name', 'quantity'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 50 }, quantity: { type: 'integer', minimum: 1, maximum: 10 } },
  additionalProperties: false,
};
const linkBody = { type: 'object', required: ['widgetId'], properties: { widgetId: id }, additionalProperties: false };

const rows: { id: string; what: string }[] = [];
let app: HttpApp;
let report: FuzzReport;

before(async () => {
  app = await createHttpServer({
    service: 'fuzz-self-test',
    logger: createLogger({ service: 'fuzz-self-test', level: 'silent' }),
    auth: createAuth({ serviceName: 'fuzz-self-test', ttlSeconds: 600, verifyKeys: new Map() }),
    bodyLimit: 64 * 1024,
    readiness: {},
  });
  const write = (what: string) => rows.push({ id: String(rows.length), what });

  // Bug: records the attempt before the body is validated.
  app.post('/sloppy', { schema: { body: widgetBody }, preValidation: async () => void write('attempt') }, async () => ({ ok: true }));
  // Bug: a 500 for an id that does not exist (a TypeError, not a 404).
  app.get('/widget/:id', { schema: { params: { type: 'object', properties: { id }, required: ['id'] } } }, async (request) => {
    const wanted = (request.params as { id: string }).id;
    const found = wanted === realId ? { id: realId } : undefined;
    return { id: (found as { id: string }).id };
  });
  // Bug: refuses non-ASCII names with a hand-made 400 that is not problem+json.
  app.post('/plain', { schema: { body: widgetBody } }, async (request, reply) => {
    if (!/^[ -~]*$/.test((request.body as { name: string }).name)) return reply.code(400).send({ error: 'ASCII only' });
    return { ok: true };
  });
  // Bug: accepts a link to a widget that does not exist.
  app.post('/link', { schema: { body: linkBody } }, async (request, reply) => reply.code(201).send(request.body));
  // Correct: validated, unknown ids are 404 problem+json, only a valid request writes.
  app.post('/good', { schema: { body: linkBody } }, async (request, reply) => {
    if ((request.body as { widgetId: string }).widgetId.toLowerCase() !== realId) throw notFound('Widget');
    write('good');
    return reply.code(201).send({ ok: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  const doc = await getJson<OpenApiDocument>(baseUrl, '/openapi.json');
  const operations = operationsOf('self-test', doc).filter((op) => !op.path.startsWith('/health'));
  assert.equal(operations.length, 5);

  report = await fuzz({
    targets: [{ baseUrl, operations }],
    principals: [{ name: 'anonymous' }],
    seed: 1,
    context: {
      marker: 'fuzz1',
      realId: (_path, name) => (name === 'id' || name === 'widgetId' ? realId : undefined),
      realIds: [realId],
      email: 'someone@example.com',
      extraPerField: 1,
      bodyLimit: 64 * 1024,
      badAuthorizations: [],
    },
    snapshot: async (): Promise<Snapshot> => new Map([['memory.rows', new Map(rows.map((row) => [row.id, JSON.stringify(row)]))]]),
    quietMs: 100,
  });
});

after(() => app?.close());

const found = (path: string, complaint: RegExp) => report.violations.filter((v) => v.operation.endsWith(` ${path}`) && complaint.test(v.complaint));

test('reports a refused request that wrote, naming the request', () => {
  const writes = found('/sloppy', /answered 4\d\d wrote/);
  assert.ok(writes.length > 0, JSON.stringify(report.violations.filter((v) => v.operation.endsWith('/sloppy'))));
  assert.match(writes[0]?.request ?? '', /^curl -i -X POST '.*\/sloppy'/);
});

test('reports a 5xx', () => {
  const errors = found('/widget/{id}', /^server error 500/);
  assert.ok(
    errors.some((v) => v.label.includes(unknownIdPrefix)),
    JSON.stringify(errors.map((v) => v.label)),
  );
});

test('reports a 4xx that is not problem+json', () => {
  assert.ok(found('/plain', /not application\/problem\+json/).length > 0);
});

test('reports a write that names an unknown id', () => {
  assert.ok(found('/link', /unknown id in body\.widgetId/).length > 0);
});

test('a correct route gives no violations', () => {
  assert.deepEqual(found('/good', /./), []);
  assert.ok((report.operations.find((o) => o.operation.endsWith('/good'))?.requests ?? 0) > 30);
});
