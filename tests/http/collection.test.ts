import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

// The request collection (http/*.http) must stay true to the API: every request names a route,
// method and query parameters that the committed OpenAPI documents (docs/openapi) declare.

const ROOT = resolve(import.meta.dirname, '../..');
const files = readdirSync(join(ROOT, 'http')).filter((name) => name.endsWith('.http'));

interface Operation {
  parameters?: { in: string; name: string }[];
}
type Document = { paths: Record<string, Record<string, Operation>> };
const documents = new Map<string, Document>();
const documentOf = (service: string): Document => {
  let document = documents.get(service);
  if (!document) {
    document = JSON.parse(readFileSync(join(ROOT, 'docs/openapi', `${service}.json`), 'utf8')) as Document;
    documents.set(service, document);
  }
  return document;
};

/** `GET {{shop}}/api/x/y?z=1` lines of a collection file. */
function requestsOf(text: string): { method: string; url: string; line: number }[] {
  return text
    .split('\n')
    .map((line, index) => ({ match: /^(GET|POST|PUT|PATCH|DELETE) (\S+)/.exec(line), line: index + 1 }))
    .filter((entry) => entry.match)
    .map(({ match, line }) => ({ method: (match as RegExpExecArray)[1] as string, url: (match as RegExpExecArray)[2] as string, line }));
}

// An OpenAPI path template as a pattern; a `{{variable}}` of the collection stands for one segment.
const templatePattern = (template: string) => new RegExp(`^${template.replace(/\{[^/}]+\}/g, '[^/]+')}$`);

test('the collection has requests for every service behind the gateway and the gateway itself', () => {
  const services = new Set(
    files.flatMap((file) => requestsOf(readFileSync(join(ROOT, 'http', file), 'utf8')).map((r) => /\/api\/([a-z]+)\//.exec(r.url)?.[1])),
  );
  assert.deepEqual([...services].sort(), ['cart', 'gateway', 'inventory', 'notification', 'order', 'payment', 'product', 'user']);
});

for (const file of files) {
  test(`http/${file}: every request is a documented route, method and query`, () => {
    const problems: string[] = [];
    for (const request of requestsOf(readFileSync(join(ROOT, 'http', file), 'utf8'))) {
      const url = request.url.replace(/^\{\{shop\}\}/, '').replace(/\{\{[^}]+\}\}/g, 'x');
      const [path = '', query = ''] = url.split('?');
      const service = /^\/api\/([a-z]+)\//.exec(path)?.[1];
      if (!service) {
        problems.push(`line ${request.line}: ${request.url} does not go through /api/<service>/`);
        continue;
      }
      const document = documentOf(service);
      const servicePath = service === 'gateway' ? path : path.slice(`/api/${service}`.length);
      // As a router does: a static segment wins over a parameter (`/inventory/reservations` over `/inventory/{productId}`).
      const template = Object.keys(document.paths)
        .filter((candidate) => templatePattern(candidate).test(servicePath) && document.paths[candidate]?.[request.method.toLowerCase()])
        .sort((a, b) => a.split('{').length - b.split('{').length)[0];
      const operation = template ? document.paths[template]?.[request.method.toLowerCase()] : undefined;
      if (!operation) {
        problems.push(`line ${request.line}: ${request.method} ${servicePath} is not in docs/openapi/${service}.json`);
        continue;
      }
      const declared = new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      for (const name of new URLSearchParams(query).keys()) {
        if (!declared.has(name)) problems.push(`line ${request.line}: ${request.method} ${template} has no query parameter '${name}'`);
      }
    }
    assert.deepEqual(problems, []);
  });
}
