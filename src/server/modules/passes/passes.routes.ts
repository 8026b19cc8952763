import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import { createPassBody, myPasses, passPage, passParams, passQuery, passSchema, reactivateBody, revokeBody, suspendBody } from './passes.schemas';
import type { PassesService } from './passes.service';

const tags = ['passes'];

export function passRoutes(app: FastifyInstance, passes: PassesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/passes',
    {
      config: { access: 'access.read' },
      schema: { tags, summary: 'Passes in my scope (holder or a site in scope): a person’s (person=<code>), a site’s (site=<code>), by status; newest first, paged', querystring: passQuery, response: { 200: passPage } },
    },
    (request) => passes.list(actorOf(request), request.query),
  );
  r.get('/api/passes/:id', { config: { access: 'access.read' }, schema: { tags, summary: 'One pass', params: passParams, response: { 200: passSchema } } }, (request) =>
    passes.get(actorOf(request), request.params.id),
  );
  r.post(
    '/api/passes',
    {
      config: { access: 'access.write' },
      schema: { tags, summary: 'Issue a pass to a person for sites (all in my scope), with validity dates, optional time windows and the essential flag; its QR carries a fresh random token', body: createPassBody, response: { 201: passSchema } },
    },
    async (request, reply) => reply.status(201).send(await passes.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/passes/:id/revoke',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Revoke a pass with a reason; final, and effective at the next scan', params: passParams, body: revokeBody, response: { 200: passSchema } } },
    (request) => passes.revoke(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/passes/:id/suspend',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Suspend an active pass with a reason (reactivate lifts it)', params: passParams, body: suspendBody, response: { 200: passSchema } } },
    (request) => passes.suspend(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/passes/:id/reactivate',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Lift a suspension (a revoked pass stays revoked)', params: passParams, body: reactivateBody, response: { 200: passSchema } } },
    (request) => passes.reactivate(request.ctx, actorOf(request), request.params.id, request.body),
  );
  // access.read within the scope, or the holder themself: decided in the service.
  r.get(
    '/api/passes/:id/qr.png',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'The pass’s QR code (PNG, 320 px, error correction M): the token only, no personal data. For access.read within the scope, or the holder', params: passParams, produces: ['image/png'], response: { 200: z.string().describe('PNG') } },
    },
    async (request, reply) => {
      const png = await passes.qrPng(request.ctx, actorOf(request), request.params.id);
      return reply.header('content-type', 'image/png').send(png as unknown as string); // a file, sent as is
    },
  );
  r.get('/api/my/passes', { config: { access: 'authenticated' }, schema: { tags, summary: 'My own passes (the person linked to my account), for the phone view', response: { 200: myPasses } } }, (request) =>
    passes.mine(actorOf(request)),
  );
}
