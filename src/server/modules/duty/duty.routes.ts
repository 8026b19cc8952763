import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  createHandoverBody,
  createShiftBody,
  dutyNow,
  dutyNowQuery,
  generateRosterBody,
  generateRosterResult,
  handoverList,
  handoverQuery,
  handoverSchema,
  rosterDay,
  rosterQuery,
  shiftList,
  shiftSchema,
  siteParams,
} from './duty.schemas';
import type { DutyService } from './duty.service';

const tags = ['access'];

/** Guard duty (值守): shifts, the rotating roster, who is on duty now, handover notes (issue 6). */
export function dutyRoutes(app: FastifyInstance, duty: DutyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/sites/:code/shifts', { config: { access: 'access.read' }, schema: { tags, summary: 'The duty shifts of a site, by start time', params: siteParams, response: { 200: shiftList } } }, (request) =>
    duty.shifts(actorOf(request), request.params.code),
  );
  r.post(
    '/api/sites/:code/shifts',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Add a duty shift (local HH:MM; an end not after the start runs past midnight)', params: siteParams, body: createShiftBody, response: { 201: shiftSchema } } },
    async (request, reply) => reply.status(201).send(await duty.createShift(request.ctx, actorOf(request), request.params.code, request.body)),
  );
  r.post(
    '/api/duty/roster/generate',
    {
      config: { access: 'access.write' },
      schema: {
        tags,
        summary: 'Generate the roster: guards rotated across the checkpoints and shifts of a date range, loads balanced within one, nobody on overlapping shifts',
        description: 'Replaces the assignments of those checkpoints in the range, in one transaction (audited). 422 ROSTER_NOT_ENOUGH_GUARDS or ROSTER_UNBALANCED when the guards cannot cover the posts.',
        body: generateRosterBody,
        response: { 200: generateRosterResult },
      },
    },
    (request) => duty.generate(request.ctx, actorOf(request), request.body),
  );
  r.get(
    '/api/duty/roster',
    { config: { access: 'access.read' }, schema: { tags, summary: 'The roster of a site for a day (default today), by checkpoint and shift, with guard names', querystring: rosterQuery, response: { 200: rosterDay } } },
    (request) => duty.roster(actorOf(request), request.query),
  );
  r.get(
    '/api/duty/now',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Who is on duty now at each checkpoint of a site (shifts past midnight included)', querystring: dutyNowQuery, response: { 200: dutyNow } } },
    (request) => duty.now(actorOf(request), request.query.site),
  );
  r.get(
    '/api/duty/handovers',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Handover notes of a site or checkpoint, newest first', querystring: handoverQuery, response: { 200: handoverList } } },
    (request) => duty.handovers(actorOf(request), request.query),
  );
  r.post(
    '/api/duty/handovers',
    {
      config: { access: 'access.read' },
      schema: { tags, summary: 'Write a handover note for a checkpoint (guards with gate.operate and access administrators; audited)', body: createHandoverBody, response: { 201: handoverSchema } },
    },
    async (request, reply) => reply.status(201).send(await duty.addHandover(request.ctx, actorOf(request), request.body)),
  );
}
