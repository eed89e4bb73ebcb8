import { IdParams, problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { Type } from 'typebox';
import { toStockLevel } from '../domain/stock.ts';
import type { StockRules } from '../domain/stock-rules.ts';
import { ChangeStockBody, CreateStockBody, ProductIdsQuery, ProductParams, StockLevel, StockLevels } from './schemas.ts';

const tags = ['inventory'];
const writers = { onRequest: authenticate('admin', 'service'), schema: { tags, security: bearerSecurity } };

/** Stock records: public reads (stock levels are shown on product pages), writes by admins and services. */
export function registerStockRoutes(app: HttpApp, rules: StockRules): void {
  // The product list and product-service's reads (which it batches) ask for many products at once.
  app.get('/inventory', { schema: { tags, querystring: ProductIdsQuery, response: { 200: StockLevels, ...problemResponses(400) } } }, async (request) => ({
    items: (await rules.levels(request.query.productIds.split(','))).map(toStockLevel),
  }));

  app.get('/inventory/:productId', { schema: { tags, params: ProductParams, response: { 200: StockLevel, ...problemResponses(400, 404) } } }, async (request) =>
    toStockLevel(await rules.level(request.params.productId)),
  );

  app.post(
    '/inventory',
    { ...writers, schema: { ...writers.schema, body: CreateStockBody, response: { 201: StockLevel, ...problemResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.status(201).send(toStockLevel(await rules.create(request.body.productId, request.body.quantity))),
  );

  app.patch(
    '/inventory/:id',
    {
      ...writers,
      schema: { ...writers.schema, params: IdParams, body: ChangeStockBody, response: { 200: StockLevel, ...problemResponses(400, 401, 403, 404, 409) } },
    },
    async (request) => toStockLevel(await rules.change(request.params.id, request.body)),
  );

  app.delete(
    '/inventory/:id',
    { ...writers, schema: { ...writers.schema, params: IdParams, response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) } } },
    async (request, reply) => {
      await rules.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
}
