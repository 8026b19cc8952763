import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { blockEntrySchema, blockList, blockParams, blockQuery, createBlockBody, removeBlockBody } from './block-list.schemas';
import type { BlockListService } from './block-list.service';

const tags = ['access'];

/** The block list (黑名单) the gate checks before letting anyone in (issue 6). */
export function blockListRoutes(app: FastifyInstance, blocks: BlockListService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/block-list',
    {
      config: { access: 'access.read' },
      schema: { tags, summary: 'Block-list entries of the sites in your scope and for every site (names masked; ID numbers and phones are never shown)', querystring: blockQuery, response: { 200: blockList } },
    },
    (request) => blocks.list(actorOf(request), request.query),
  );
  r.post(
    '/api/block-list',
    {
      config: { access: 'access.write' },
      schema: {
        tags,
        summary: 'Block a person (code), an ID number or a phone at one site or every site (audited; the ID number and phone are kept only as blind indexes)',
        body: createBlockBody,
        response: { 201: blockEntrySchema },
      },
    },
    async (request, reply) => reply.status(201).send(await blocks.add(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/block-list/:id/remove',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Take an entry off the block list, with a reason (audited)', params: blockParams, body: removeBlockBody, response: { 200: blockEntrySchema } } },
    (request) => blocks.remove(request.ctx, actorOf(request), request.params.id, request.body.reason),
  );
}
