import { problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { Type } from 'typebox';
import { toPublicCart } from '../domain/cart.ts';
import type { CartRules } from '../domain/carts.ts';
import { AddBody, Cart, CartParams, ItemParams, SetQuantityBody } from './schemas.ts';

const tags = ['cart'];
const security = bearerSecurity;

/** The cart-service HTTP API: any signed-in caller; customers only their own cart, admins and services any. */
export function registerCartRoutes(app: HttpApp, rules: CartRules): void {
  app.post(
    '/cart',
    {
      onRequest: authenticate(),
      schema: { tags, security, body: AddBody, response: { 200: Cart, ...problemResponses(400, 401, 403, 404, 409, 503) } },
    },
    async (request) => toPublicCart(await rules.add(principalOf(request), request.body)),
  );

  app.get(
    '/cart/:userId',
    { onRequest: authenticate(), schema: { tags, security, params: CartParams, response: { 200: Cart, ...problemResponses(400, 401, 403, 404) } } },
    async (request) => toPublicCart(await rules.get(principalOf(request), request.params.userId)),
  );

  app.delete(
    '/cart/:userId',
    { onRequest: authenticate(), schema: { tags, security, params: CartParams, response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      await rules.clear(principalOf(request), request.params.userId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/cart/:userId/items/:productId',
    {
      onRequest: authenticate(),
      schema: { tags, security, params: ItemParams, body: SetQuantityBody, response: { 200: Cart, ...problemResponses(400, 401, 403, 404, 409, 503) } },
    },
    async (request) => {
      const { userId, productId } = request.params;
      return toPublicCart(await rules.setQuantity(principalOf(request), userId, productId, request.body.quantity));
    },
  );

  app.delete(
    '/cart/:userId/items/:productId',
    { onRequest: authenticate(), schema: { tags, security, params: ItemParams, response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      await rules.removeItem(principalOf(request), request.params.userId, request.params.productId);
      return reply.status(204).send(null);
    },
  );
}
