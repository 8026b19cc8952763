import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  adjustmentBody,
  createSupplyBody,
  distributionBody,
  distributionSummary,
  movementList,
  movementQuery,
  movementSchema,
  purchaseBody,
  purchaseCreated,
  purchaseList,
  purchaseQuery,
  summaryQuery,
  supplyList,
  supplySchema,
} from './supplies.schemas';
import type { SuppliesService } from './supplies.service';

const tags = ['health'];

/** Prevention supplies (防疫物资): catalogue, purchases over quotes, stock and distribution (issue 7). */
export function suppliesRoutes(app: FastifyInstance, supplies: SuppliesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/supplies',
    { config: { access: 'health.read' }, schema: { tags, summary: 'Every prevention supply with its stock (in − out ± adjustments) and its latest purchase', response: { 200: supplyList } } },
    () => supplies.list(),
  );
  r.post(
    '/api/health/supplies',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Add a supply to the catalogue (409 SUPPLY_CODE_TAKEN when the code is in use; audited)', body: createSupplyBody, response: { 201: supplySchema } },
    },
    async (request, reply) => reply.status(201).send(await supplies.create(request.ctx, request.body)),
  );
  r.post(
    '/api/health/supplies/purchases',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Record a purchase compared over at least 3 quotes from distinct suppliers; the stock receives the quantity (audited)',
        description:
          '`chosen` is the index of the quote bought from. 422 QUOTES_TOO_FEW under 3 quotes, QUOTES_DUPLICATE_SUPPLIER for two quotes from one supplier, QUOTE_REASON_REQUIRED when the chosen quote is not the lowest unit price and no `reason` is given. Quantities and prices are decimals (JSON text or number); `total` = quantity × the chosen unit price, to cents.',
        body: purchaseBody,
        response: { 201: purchaseCreated },
      },
    },
    async (request, reply) => reply.status(201).send(await supplies.purchase(request.ctx, actorOf(request), request.body)),
  );
  r.get(
    '/api/health/supplies/purchases',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Purchases, newest first, with every quote (the chosen one and the lowest flagged) and the reason', querystring: purchaseQuery, response: { 200: purchaseList } },
    },
    (request) => supplies.purchases(request.query),
  );
  r.post(
    '/api/health/supplies/distributions',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Distribute supplies to a unit or a checkpoint in your scope (audited)',
        description: 'Name exactly one of `unit` and `checkpoint`. 422 STOCK_INSUFFICIENT (details `{ available, date }`) when the stock on that date, or on a later one, would go below zero.',
        body: distributionBody,
        response: { 201: movementSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await supplies.distribute(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/health/supplies/adjustments',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Correct the stock after a count: a signed quantity (not 0) with a note (audited; 422 STOCK_INSUFFICIENT when it would go below zero)',
        body: adjustmentBody,
        response: { 201: movementSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await supplies.adjust(request.ctx, actorOf(request), request.body)),
  );
  r.get(
    '/api/health/supplies/movements',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Stock movements by supply and date, each with the running balance (at most 5000)', querystring: movementQuery, response: { 200: movementList } },
    },
    (request) => supplies.movements(request.query),
  );
  r.get(
    '/api/health/supplies/distribution-summary',
    {
      config: { access: 'health.read' },
      schema: { tags, summary: 'Quantities distributed in a date range: per supply, by unit and by checkpoint', querystring: summaryQuery, response: { 200: distributionSummary } },
    },
    (request) => supplies.summary(request.query),
  );
}
