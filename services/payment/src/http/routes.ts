import { IdParams, problemResponses } from '@shop/contracts';
import { authenticate, bearerSecurity, principalOf } from '@shop/platform/http/guard';
import type { HttpApp } from '@shop/platform/http/server';
import { toPublicPayment } from '../domain/payment.ts';
import type { PaymentRules } from '../domain/payments.ts';
import { ChargeBody, ListQuery, Payment, PaymentPage } from './schemas.ts';

const tags = ['payments'];

/** The payment-service HTTP API; handlers translate HTTP to the payment rules and back. */
export function registerPaymentRoutes(app: HttpApp, rules: PaymentRules): void {
  app.post(
    '/payment',
    {
      onRequest: authenticate(),
      schema: {
        tags,
        summary: 'Charge an order once (a repeated request answers with the same payment)',
        security: bearerSecurity,
        body: ChargeBody,
        response: { 201: Payment, ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => reply.status(201).send(toPublicPayment(await rules.charge(principalOf(request), request.body))),
  );

  app.get(
    '/payment/:id',
    {
      onRequest: authenticate(),
      schema: { tags, security: bearerSecurity, params: IdParams, response: { 200: Payment, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => toPublicPayment(await rules.get(principalOf(request), request.params.id)),
  );

  app.get(
    '/payments',
    {
      onRequest: authenticate(),
      schema: { tags, security: bearerSecurity, querystring: ListQuery, response: { 200: PaymentPage, ...problemResponses(400, 401, 403) } },
    },
    async (request) => {
      const { limit = 50, cursor, orderId, userId } = request.query;
      const payments = await rules.list(principalOf(request), { ...(orderId ? { orderId } : {}), ...(userId ? { userId } : {}) }, limit, cursor);
      const last = payments.at(-1);
      return { items: payments.map(toPublicPayment), nextCursor: payments.length === limit && last ? last.id : null };
    },
  );
}
