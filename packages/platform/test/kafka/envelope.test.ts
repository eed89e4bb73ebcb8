import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { AppError } from '../../src/errors.ts';
import { assertValidEvent, createEvent, parseEvent } from '../../src/kafka/envelope.ts';

const UserCreated = Type.Object({ userId: Type.String(), email: Type.String({ format: 'email' }) });
const valid = () => createEvent({ type: 'user.created', source: 'user-service', subject: 'u1', data: { userId: 'u1', email: 'a@b.co' } });

describe('envelope', () => {
  it('creates an envelope with a uuid id and an ISO time', () => {
    const event = valid();
    assert.match(event.id, /^[0-9a-f-]{36}$/);
    assert.equal(new Date(event.time).toISOString(), event.time);
    assert.deepEqual(parseEvent(JSON.stringify(event), UserCreated), { ok: true, event });
  });

  it('parses a Buffer as well as a string', () => {
    const event = valid();
    assert.equal(parseEvent(Buffer.from(JSON.stringify(event))).ok, true);
  });

  it('names what is wrong', () => {
    const reasonOf = (value: string) => {
      const result = parseEvent(value, UserCreated);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.reason;
    };
    assert.match(reasonOf('{not json'), /^invalid JSON/);
    assert.match(reasonOf(JSON.stringify({ ...valid(), id: 'nope' })), /invalid envelope: \/id .*uuid/);
    assert.match(reasonOf(JSON.stringify({ ...valid(), time: 'yesterday' })), /\/time .*date-time/);
    assert.match(reasonOf(JSON.stringify({ ...valid(), type: '' })), /\/type/);
    assert.match(reasonOf(JSON.stringify({ ...valid(), extra: 1 })), /extra/);
    assert.match(reasonOf(JSON.stringify({ ...valid(), data: [1] })), /\/data/);
    const { subject: _, ...noSubject } = valid();
    assert.match(reasonOf(JSON.stringify(noSubject)), /subject/);
    assert.match(reasonOf(JSON.stringify({ ...valid(), data: { userId: 'u1', email: 'x' } })), /invalid data: \/data\/email/);
  });

  it('refuses to let an invalid event be published', () => {
    assert.doesNotThrow(() => assertValidEvent(valid(), UserCreated));
    assert.throws(
      () => assertValidEvent({ ...valid(), subject: 42 }),
      (error: unknown) => error instanceof AppError && error.code === 'VALIDATION_FAILED' && /subject/.test(error.message),
    );
  });
});
