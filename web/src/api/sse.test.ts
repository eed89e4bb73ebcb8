import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSse } from './sse.ts';

test('complete events are parsed, the unfinished one is kept for the next chunk', () => {
  const { events, rest } = parseSse('event: order\ndata: {"a":1}\n\n: keep-alive\n\ndata: x\ndata: y\r\n\r\ndata: par');
  assert.deepEqual(events, [
    { event: 'order', data: '{"a":1}' },
    { event: 'message', data: 'x\ny' },
  ]);
  assert.equal(rest, 'data: par');
  assert.deepEqual(parseSse(`${rest}tial\n\n`).events, [{ event: 'message', data: 'partial' }]);
});
