import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  cancelBody,
  closeBody,
  createMeasureBody,
  createProblemBody,
  measureParams,
  measureSchema,
  measureUpdateBody,
  problemDetail,
  problemList,
  problemParams,
  problemQuery,
  putMeasureBody,
  putProblemBody,
} from './problems.schemas';
import type { ProblemService } from './problems.service';

const tags = ['problems'];

export function problemRoutes(app: FastifyInstance, problems: ProblemService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/problems',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'Problems (问题) of the units in your scope, newest first; filters by unit (exact), status, source, indicator', querystring: problemQuery, response: { 200: problemList } } },
    (request) => problems.list(actorOf(request), request.query),
  );
  r.get(
    '/api/problems/:id',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'A problem with its measures, their updates and attachments, the warning that raised it and its supervision items', params: problemParams, response: { 200: problemDetail } } },
    (request) => problems.get(actorOf(request), request.params.id),
  );
  r.post(
    '/api/problems',
    { config: { access: 'problem.write' }, schema: { tags, summary: 'Raise a problem by hand (audit, meeting, instruction, customer, other)', body: createProblemBody, response: { 201: problemDetail } } },
    async (request, reply) => reply.status(201).send(await problems.create(request.ctx, actorOf(request), request.body)),
  );
  r.put(
    '/api/problems/:id',
    { config: { access: 'problem.write' }, schema: { tags, summary: 'Edit the title, description, cause analysis or severity of an active problem', params: problemParams, body: putProblemBody, response: { 200: problemDetail } } },
    (request) => problems.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/problems/:id/cancel',
    { config: { access: 'supervision.write' }, schema: { tags, summary: 'Cancel an active problem, with a reason', params: problemParams, body: cancelBody, response: { 200: problemDetail } } },
    (request) => problems.cancel(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/problems/:id/close',
    {
      config: { access: 'supervision.write' },
      schema: {
        tags,
        summary: 'Close a problem with evidence (a note and at least one attachment): verified when the data (or, without a data cause, the evidence) confirm it, else closed-unverified',
        params: problemParams,
        body: closeBody,
        response: { 200: problemDetail },
      },
    },
    (request) => problems.close(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/problems/:id/measures',
    { config: { access: 'problem.write' }, schema: { tags, summary: 'Add a corrective measure (措施): owner person, co-operating units, due date', params: problemParams, body: createMeasureBody, response: { 201: measureSchema } } },
    async (request, reply) => reply.status(201).send(await problems.addMeasure(request.ctx, actorOf(request), request.params.id, request.body)),
  );
  r.put(
    '/api/measures/:id',
    { config: { access: 'problem.write' }, schema: { tags, summary: 'Change a measure: description, owner, co-operating units, due date, status (open, done, cancelled)', params: measureParams, body: putMeasureBody, response: { 200: measureSchema } } },
    (request) => problems.updateMeasure(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/measures/:id/updates',
    { config: { access: 'problem.write' }, schema: { tags, summary: "A progress note on an open measure, with attachments; its progress becomes the measure's", params: measureParams, body: measureUpdateBody, response: { 201: measureSchema } } },
    async (request, reply) => reply.status(201).send(await problems.addUpdate(request.ctx, actorOf(request), request.params.id, request.body)),
  );
}
