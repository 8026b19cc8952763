import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import {
  earningsQuery,
  earningsSchema,
  exportQuery,
  idParams,
  outputBody,
  outputSchema,
  pointsBody,
  pointsSchema,
  priceBody,
  priceList,
  priceSchema,
  putPriceBody,
  putRateBody,
  rateBody,
  rateList,
  rateQuery,
  rateSchema,
  sheetQuery,
  sheetSchema,
} from './piece-rates.schemas';
import type { PieceRateService } from './piece-rates.service';

const tags = ['piece-rates'];

export function pieceRateRoutes(app: FastifyInstance, pieceRates: PieceRateService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/piece-rates/rates', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Piece rates (计件单价) of the teams in your scope', querystring: rateQuery, response: { 200: rateList } } }, async (request) => ({ items: await pieceRates.rates(actorOf(request), request.query.team) }));
  r.post(
    '/api/piece-rates/rates',
    { config: { access: 'evaluation.write' }, schema: { tags, summary: "Add a team's piece rate for a product (yuan per unit as decimal text), valid over dates that overlap no other rate", body: rateBody, response: { 201: rateSchema } } },
    async (request, reply) => reply.status(201).send(await pieceRates.createRate(request.ctx, actorOf(request), request.body)),
  );
  r.put('/api/piece-rates/rates/:id', { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Change a piece rate (with its version)', params: idParams, body: putRateBody, response: { 200: rateSchema } } }, (request) =>
    pieceRates.updateRate(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.get('/api/piece-rates/quality-prices', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Quality prices (质量计价) by product and grade', response: { 200: priceList } } }, async () => ({ items: await pieceRates.prices() }));
  r.post(
    '/api/piece-rates/quality-prices',
    { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Add the price of a product grade (yuan per unit, negative for a deduction)', body: priceBody, response: { 201: priceSchema } } },
    async (request, reply) => reply.status(201).send(await pieceRates.createPrice(request.ctx, request.body)),
  );
  r.put('/api/piece-rates/quality-prices/:id', { config: { access: 'evaluation.write' }, schema: { tags, summary: 'Change a quality price (with its version)', params: idParams, body: putPriceBody, response: { 200: priceSchema } } }, (request) =>
    pieceRates.updatePrice(request.ctx, request.params.id, request.body),
  );
  r.get('/api/piece-rates/sheet', { config: { access: 'indicator.read' }, schema: { tags, summary: "A team's outputs and member points for a month", querystring: sheetQuery, response: { 200: sheetSchema } } }, (request) =>
    pieceRates.sheet(actorOf(request), request.query.team, request.query.period),
  );
  r.put(
    '/api/piece-rates/outputs',
    { config: { access: 'measurement.enter' }, schema: { tags, summary: "Enter a team's output of a product and grade for a month (without version: new; with it: change)", body: outputBody, response: { 200: outputSchema } } },
    (request) => pieceRates.putOutput(request.ctx, actorOf(request), request.body),
  );
  r.put(
    '/api/piece-rates/points',
    { config: { access: 'measurement.enter' }, schema: { tags, summary: "Enter a member's points (工分) for a month (without version: new; with it: change)", body: pointsBody, response: { 200: pointsSchema } } },
    (request) => pieceRates.putPoints(request.ctx, actorOf(request), request.body),
  );
  r.get(
    '/api/piece-rates/earnings',
    { config: { access: 'indicator.read' }, schema: { tags, summary: "A team's earnings for a month: Σ output × rate + Σ quantity × grade price, line by line, shared by points to the fen (largest remainder)", querystring: earningsQuery, response: { 200: earningsSchema } } },
    (request) => pieceRates.earnings(actorOf(request), request.query.team, request.query.period),
  );
  r.get(
    '/api/piece-rates/earnings.xlsx',
    {
      config: { access: 'indicator.read' },
      schema: { tags, summary: 'The payroll export of a month (xlsx): members with points and amounts, and the team lines with their arithmetic', querystring: exportQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: z.string().describe('xlsx') } },
    },
    async (request, reply) => {
      const body = await pieceRates.payrollWorkbook(request.ctx, actorOf(request), request.query.period);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="pacesetter-payroll-${request.query.period}.xlsx"`)
        .send(body as unknown as string); // a file, sent as is
    },
  );
}
