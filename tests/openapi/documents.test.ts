import assert from 'node:assert/strict';
import { test } from 'node:test';
import { committedText, serialize, servedDocuments } from './documents.ts';

test('the committed OpenAPI documents (docs/openapi) are what the services serve; ./scripts/openapi.sh rewrites them', async () => {
  const served = await servedDocuments();
  for (const [name, document] of served) {
    const committed = await committedText(name);
    assert.ok(committed !== null, `docs/openapi/${name}.json is missing: run ./scripts/openapi.sh`);
    assert.equal(committed, serialize(document), `docs/openapi/${name}.json is out of date: run ./scripts/openapi.sh`);
  }
});
