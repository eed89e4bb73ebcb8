import { problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { type TSchema, Type } from 'typebox';
import type { DeadLetterRules } from './rules.ts';

const tags = ['dead-letters'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;

const Replay = Type.Object(
  {
    status: Type.Union([Type.Literal('replaying'), Type.Literal('replayed')]),
    by: Type.String({ description: 'Who replayed it (user id)' }),
    at: Type.String({ format: 'date-time' }),
  },
  { description: 'Set once the dead letter was replayed (it cannot be replayed twice)' },
);

const summaryProperties = {
  topic: Type.String({ description: 'The DLQ topic, `<topic>.dlq`' }),
  partition: Type.Integer(),
  offset: Type.Integer(),
  time: Type.String({ format: 'date-time', description: 'When it was dead-lettered' }),
  deadLetteredBy: Nullable(Type.String({ description: 'The service that gave up on it' })),
  reason: Nullable(Type.String()),
  original: Nullable(
    Type.Object(
      { topic: Type.String(), partition: Type.Integer(), offset: Type.Integer(), key: Nullable(Type.String()) },
      { description: 'Where the original message was' },
    ),
  ),
  eventType: Nullable(Type.String()),
  eventId: Nullable(Type.String()),
  replay: Nullable(Replay),
};

const DeadLetterSummary = Type.Object(summaryProperties);
const DeadLetterDetail = Type.Object({
  ...summaryProperties,
  value: Nullable(Type.String({ description: 'The original message value (UTF-8 text, or base64 per `encoding`)' })),
  encoding: Nullable(Type.Union([Type.Literal('utf8'), Type.Literal('base64')])),
  headers: Type.Record(Type.String(), Type.String()),
  replayable: Type.Boolean({ description: 'True when the value is an event envelope, which a replay publishes again' }),
});

const DeadLetterPage = Type.Object({
  topics: Type.Array(Type.Object({ topic: Type.String(), sourceTopic: Type.String(), count: Type.Integer({ minimum: 0 }) })),
  items: Type.Array(DeadLetterSummary),
  nextCursor: Nullable(Type.String()),
});

const ListQuery = Type.Object(
  {
    topic: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9._-]+\\.dlq$', maxLength: 249, description: 'Only this DLQ topic' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  strict,
);

const PositionParams = Type.Object(
  {
    topic: Type.String({ pattern: '^[a-zA-Z0-9._-]+$', maxLength: 249, description: 'The DLQ topic, e.g. `order-events.dlq`' }),
    partition: Type.Integer({ minimum: 0, maximum: 100_000 }),
    offset: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  strict,
);

/** `/api/gateway/dead-letters...` (admin): list, inspect and replay dead letters. */
export function registerDeadLetterRoutes(app: HttpApp, rules: DeadLetterRules): void {
  const onRequest = authenticate('admin');
  app.get(
    '/api/gateway/dead-letters',
    {
      onRequest,
      schema: {
        tags,
        summary: 'The DLQ topics with their counts, and a page of their messages (oldest first)',
        security: bearerSecurity,
        querystring: ListQuery,
        response: { 200: DeadLetterPage, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) =>
      rules.list({
        limit: request.query.limit ?? 50,
        ...(request.query.topic ? { topic: request.query.topic } : {}),
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  );

  app.get(
    '/api/gateway/dead-letters/:topic/:partition/:offset',
    {
      onRequest,
      schema: {
        tags,
        summary: 'One dead letter: why, from where, and the original value and headers',
        security: bearerSecurity,
        params: PositionParams,
        response: { 200: DeadLetterDetail, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => rules.inspect(request.params),
  );

  app.post(
    '/api/gateway/dead-letters/:topic/:partition/:offset/replay',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Publish the original event again to its topic, with its key and headers (once)',
        description:
          'The replay is recorded before it is published: a second replay of the same dead letter is a 409. A dead letter whose value is no event envelope is a 409 too (it would only be dead-lettered again).',
        security: bearerSecurity,
        params: PositionParams,
        response: { 200: DeadLetterDetail, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => rules.replay(request.params, principalOf(request).sub),
  );
}
