import { IdParams, problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { toPublicOrder } from '../domain/order.ts';
import type { OrderRules } from '../domain/orders.ts';
import { ListQuery, Order, OrderPage, PlaceOrderBody, PlaceOrderHeaders } from './schemas.ts';

const tags = ['orders'];

/** The order-service HTTP API; handlers translate HTTP to the order rules and back. */
export function registerOrderRoutes(app: HttpApp, rules: OrderRules): void {
  app.post(
    '/order',
    {
      onRequest: authenticate('customer', 'admin'),
      schema: {
        tags,
        summary: 'Place an order from the user’s cart: reserve the stock and charge the payment',
        description:
          '201 with the order (pending until stock is committed and payment succeeded; failed when the card is declined). ' +
          'With an Idempotency-Key already used, 200 with the first order. 409 when stock is short (nothing is left reserved).',
        security: bearerSecurity,
        headers: PlaceOrderHeaders,
        body: PlaceOrderBody,
        response: { 200: Order, 201: Order, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { userId, cartId, address, paymentInfo } = request.body;
      const key = request.headers['idempotency-key'];
      const { order, replayed } = await rules.place(principalOf(request), {
        userId,
        address,
        paymentMethod: paymentInfo,
        ...(cartId === undefined ? {} : { cartId }),
        ...(key === undefined ? {} : { idempotencyKey: key }),
      });
      return reply.status(replayed ? 200 : 201).send(toPublicOrder(order));
    },
  );

  app.get(
    '/order/:id',
    {
      onRequest: authenticate(),
      schema: { tags, security: bearerSecurity, params: IdParams, response: { 200: Order, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => toPublicOrder(await rules.get(principalOf(request), request.params.id)),
  );

  app.get(
    '/orders/user/:id',
    {
      onRequest: authenticate(),
      schema: {
        tags,
        summary: 'A user’s orders, newest first',
        security: bearerSecurity,
        params: IdParams,
        querystring: ListQuery,
        response: { 200: OrderPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const orders = await rules.listByUser(principalOf(request), request.params.id, limit, request.query.cursor);
      const last = orders.at(-1);
      return { items: orders.map(toPublicOrder), nextCursor: orders.length === limit && last ? last.id : null };
    },
  );
}
