import { randomUUID } from 'node:crypto';
import { type Static, type TSchema, Type } from 'typebox';
import { AppError } from '../errors.ts';
import { matches, mismatches } from '../schema-check.ts';

/** The CloudEvents-style envelope every Kafka message carries (see the contract's Events section). */
export const EnvelopeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: Type.String({ minLength: 1 }),
    source: Type.String(),
    time: Type.String({ format: 'date-time' }),
    subject: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export type Envelope = Static<typeof EnvelopeSchema>;

export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  data: T;
}

export type ParseResult<T> = { ok: true; event: EventEnvelope<T> } | { ok: false; reason: string };

/** Builds an envelope; `subject` is the aggregate id and becomes the message key. */
export function createEvent<T>(input: { type: string; source: string; subject: string; data: T; id?: string; time?: string }): EventEnvelope<T> {
  return {
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    time: input.time ?? new Date().toISOString(),
    subject: input.subject,
    data: input.data,
  };
}

// A short, field-naming summary; the first errors are enough to find the bad field.
function describe(schema: TSchema, value: unknown, prefix: string): string | undefined {
  if (matches(schema, value)) return undefined;
  const errors = mismatches(schema, value, 3);
  return errors.map((e) => `${prefix}${e.instancePath} ${e.message}`.trim()).join('; ') || 'invalid';
}

/** Why an event's data does not match its schema; undefined when it does. */
export function invalidData(event: Pick<Envelope, 'data'>, dataSchema: TSchema): string | undefined {
  const data = describe(dataSchema, event.data, '/data');
  return data ? `invalid data: ${data}` : undefined;
}

function check(value: unknown, dataSchema?: TSchema): string | undefined {
  const envelope = describe(EnvelopeSchema, value, '');
  if (envelope) return `invalid envelope: ${envelope}`;
  return dataSchema ? invalidData(value as Envelope, dataSchema) : undefined;
}

/** Parses a message value into an envelope without throwing; `reason` names what is wrong. */
export function parseEvent<T = Record<string, unknown>>(value: Buffer | string, dataSchema?: TSchema): ParseResult<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  const reason = check(parsed, dataSchema);
  return reason ? { ok: false, reason } : { ok: true, event: parsed as EventEnvelope<T> };
}

/** Throws VALIDATION_FAILED unless `event` is a valid envelope (and its data matches `dataSchema`). */
export function assertValidEvent(event: unknown, dataSchema?: TSchema): asserts event is EventEnvelope {
  const reason = check(event, dataSchema);
  if (reason) throw new AppError('VALIDATION_FAILED', `Refusing to publish: ${reason}`, { reason });
}
