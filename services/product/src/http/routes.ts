import { IdParams, problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { Type } from 'typebox';
import { toPublicProduct } from '../domain/product.ts';
import type { ProductRules } from '../domain/products.ts';
import { CreateBody, ListQuery, Product, ProductPage, ProductWithStock, UpdateBody } from './schemas.ts';

const tags = ['products'];
const adminOnly = { onRequest: authenticate('admin') };

/** The product-service HTTP API: public reads, admin writes. */
export function registerProductRoutes(app: HttpApp, rules: ProductRules): void {
  app.post(
    '/product',
    { ...adminOnly, schema: { tags, security: bearerSecurity, body: CreateBody, response: { 201: Product, ...problemResponses(400, 401, 403, 413, 415) } } },
    async (request, reply) => reply.status(201).send(toPublicProduct(await rules.create(request.body))),
  );

  app.get('/product', { schema: { tags, querystring: ListQuery, response: { 200: ProductPage, ...problemResponses(400) } } }, async (request) => {
    const { limit = 50, cursor, category, q, ids } = request.query;
    const page = await rules.list({
      limit,
      ...(cursor ? { after: cursor } : {}),
      ...(category ? { category } : {}),
      ...(q ? { q } : {}),
      ...(ids ? { ids: [...new Set(ids.split(','))] } : {}),
    });
    return { items: page.items.map(toPublicProduct), nextCursor: page.nextCursor };
  });

  app.get('/product/:id', { schema: { tags, params: IdParams, response: { 200: ProductWithStock, ...problemResponses(400, 404) } } }, async (request) => {
    const { product, inventory } = await rules.get(request.params.id);
    return { ...toPublicProduct(product), inventory };
  });

  app.patch(
    '/product/:id',
    {
      ...adminOnly,
      schema: { tags, security: bearerSecurity, params: IdParams, body: UpdateBody, response: { 200: Product, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => toPublicProduct(await rules.update(request.params.id, request.body)),
  );

  app.delete(
    '/product/:id',
    { ...adminOnly, schema: { tags, security: bearerSecurity, params: IdParams, response: { 204: Type.Null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      await rules.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
}
