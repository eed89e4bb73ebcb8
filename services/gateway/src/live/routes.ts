import { PassThrough } from 'node:stream';
import { problemResponses } from '@shop/contracts';
import { unavailable } from '@shop/platform/errors';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { Type } from 'typebox';
import type { OrderHub } from './hub.ts';
import { sseComment, sseEvent, sseRetry } from './sse.ts';

const tags = ['live'];
// Documented as text; what the handler sends is the stream it writes the frames to.
const EventStream = Type.Unsafe<PassThrough>({ type: 'string', description: 'text/event-stream frames' });

const description = `Server-Sent Events (text/event-stream) of order status changes, as they are announced on order-events:
a customer gets their own orders, an admin every order. Send the token in the Authorization header
(read the stream with fetch; EventSource cannot send headers). Frames:
\`event: ready\` once (data: {role, userId}), then \`event: order\` per change with \`id\` = the event id and
data {eventId, type, orderId, userId, status, total, currency, reason?, time}; a comment line every
LIVE_HEARTBEAT_MS keeps proxies from closing an idle stream. Changes made before the stream opened
are not replayed: read the order once after opening it.`;

/** `GET /api/gateway/live/orders`: the caller's order status changes as Server-Sent Events. */
export function registerLiveRoutes(app: HttpApp, hub: OrderHub, options: { heartbeatMs: number; maxStreams: number }): void {
  // A graceful shutdown must not wait for pages that keep their stream open.
  app.addHook('preClose', (done) => {
    hub.endAll();
    done();
  });

  app.get(
    '/api/gateway/live/orders',
    {
      onRequest: authenticate('customer', 'admin'),
      schema: {
        tags,
        summary: 'Live order status changes (Server-Sent Events)',
        description,
        security: bearerSecurity,
        response: {
          200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: EventStream } } },
          ...problemResponses(401, 403, 503),
        },
      },
    },
    async (request, reply) => {
      if (hub.size >= options.maxStreams) throw unavailable('live order stream (too many open)');
      const principal = principalOf(request);
      const stream = new PassThrough();
      const heartbeat = setInterval(() => stream.write(sseComment('keep-alive')), options.heartbeatMs);
      const remove = hub.add({
        principal,
        send: (change) => stream.write(sseEvent('order', change, change.eventId)),
        end: () => stream.end(),
      });
      const stop = () => {
        clearInterval(heartbeat);
        remove();
      };
      stream.on('close', stop);
      reply.raw.on('close', () => {
        stop();
        stream.destroy();
      });
      stream.write(sseRetry(3_000));
      stream.write(sseEvent('ready', { role: principal.role, userId: principal.sub }));
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}
