import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { assetList, assetParams, assetQuery, assetSchema, assetSummary, createAssetBody, disposeBody, putAssetBody, stepBody, stepParams } from './idle-assets.schemas';
import type { IdleAssetService } from './idle-assets.service';

const tags = ['idle-assets'];

export function idleAssetRoutes(app: FastifyInstance, assets: IdleAssetService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/idle-assets', { config: { access: 'problem.read' }, schema: { tags, summary: 'The idle-asset ledger (闲置资产盘活) of the units in your scope', querystring: assetQuery, response: { 200: assetList } } }, async (request) => ({ items: await assets.list(actorOf(request), request.query) }));
  r.get('/api/idle-assets/summary', { config: { access: 'problem.read' }, schema: { tags, summary: 'Counts by status and kind, book values and proceeds (yuan)', response: { 200: assetSummary } } }, (request) => assets.summary(actorOf(request)));
  r.post(
    '/api/idle-assets',
    { config: { access: 'improvement.review' }, schema: { tags, summary: 'Add an idle line, building, equipment or vehicle with its disposal route, plan and owner', body: createAssetBody, response: { 201: assetSchema } } },
    async (request, reply) => reply.status(201).send(await assets.create(request.ctx, actorOf(request), request.body)),
  );
  r.put('/api/idle-assets/:id', { config: { access: 'improvement.review' }, schema: { tags, summary: 'Replace an idle asset and its plan (the code stays); needs its version', params: assetParams, body: putAssetBody, response: { 200: assetSchema } } }, (request) =>
    assets.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/idle-assets/:id/steps/:index',
    { config: { access: 'improvement.review' }, schema: { tags, summary: 'Mark a plan step done or not done (index from 0); needs the version', params: stepParams, body: stepBody, response: { 200: assetSchema } } },
    (request) => assets.setStep(request.ctx, actorOf(request), request.params.id, request.params.index, request.body),
  );
  r.post(
    '/api/idle-assets/:id/dispose',
    { config: { access: 'improvement.review' }, schema: { tags, summary: 'Record the disposal with its proceeds (yuan) and date; final', params: assetParams, body: disposeBody, response: { 200: assetSchema } } },
    (request) => assets.dispose(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
