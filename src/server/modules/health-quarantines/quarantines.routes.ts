import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  createQuarantineBody,
  deliverBody,
  followUpBody,
  lostBody,
  lostList,
  lostQuery,
  noteBody,
  noteSchema,
  quarantinePage,
  quarantineParams,
  quarantineQuery,
  quarantineSchema,
  recordedFollowUp,
  releaseBody,
  supportBody,
  supportParams,
  supportSchema,
} from './quarantines.schemas';
import type { QuarantineService } from './quarantines.service';

const tags = ['health'];

/** Quarantines (隔离观察): follow-up schedules, living support, counselling, release, lost to follow-up (issue 7). */
export function quarantineRoutes(app: FastifyInstance, quarantines: QuarantineService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/quarantines',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'Quarantines of the people in your scope (names masked), with today’s checks, missed checks, lost-to-follow-up and open support requests; counts by status; newest first, paged',
        querystring: quarantineQuery,
        response: { 200: quarantinePage },
      },
    },
    (request) => quarantines.list(actorOf(request), request.query),
  );
  r.get(
    '/api/health/quarantines/lost',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'Lost to follow-up: active quarantines whose person had checks on each of the last `missedDays` days (default 2) and none done, with the last done check',
        querystring: lostQuery,
        response: { 200: lostList },
      },
    },
    (request) => quarantines.lost(actorOf(request), request.query.missedDays),
  );
  r.get(
    '/api/health/quarantines/:id',
    {
      config: { access: 'health.read' },
      schema: {
        tags,
        summary: 'One quarantine: its follow-up schedule (`followUps`: date, slot, status done/due/missed/planned/cancelled), window, living support, notes and release',
        params: quarantineParams,
        response: { 200: quarantineSchema },
      },
    },
    (request) => quarantines.get(actorOf(request), request.params.id),
  );
  r.post(
    '/api/health/quarantines',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Start a quarantine by hand (the active incident’s period and checks a day); a later `lastExposure` moves an active one’s window, else 422 QUARANTINE_ACTIVE',
        body: createQuarantineBody,
        response: { 201: quarantineSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await quarantines.create(request.ctx, actorOf(request), request.body)),
  );
  r.post(
    '/api/health/quarantines/:id/follow-ups',
    {
      config: { access: 'health.declare' },
      schema: {
        tags,
        summary: 'Record one check of the schedule (temperature, condition); a fever opens or is noted on the person’s abnormal case (audited without the temperature)',
        params: quarantineParams,
        body: followUpBody,
        response: { 200: recordedFollowUp },
      },
    },
    (request) => quarantines.recordFollowUp(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/health/quarantines/:id/supports',
    { config: { access: 'health.declare' }, schema: { tags, summary: 'Request living support (生活保障): food, medicine, supplies or other', params: quarantineParams, body: supportBody, response: { 201: supportSchema } } },
    async (request, reply) => reply.status(201).send(await quarantines.addSupport(request.ctx, actorOf(request), request.params.id, request.body)),
  );
  r.post(
    '/api/health/quarantines/:id/supports/:supportId/deliver',
    { config: { access: 'health.declare' }, schema: { tags, summary: 'Mark a living-support request delivered (once)', params: supportParams, body: deliverBody, response: { 200: supportSchema } } },
    (request) => quarantines.deliverSupport(request.ctx, actorOf(request), request.params.id, request.params.supportId, request.body.note),
  );
  r.post(
    '/api/health/quarantines/:id/notes',
    { config: { access: 'health.write' }, schema: { tags, summary: 'Add a counselling (心理疏导) or other note to a quarantine', params: quarantineParams, body: noteBody, response: { 201: noteSchema } } },
    async (request, reply) => reply.status(201).send(await quarantines.addNote(request.ctx, actorOf(request), request.params.id, request.body)),
  );
  r.post(
    '/api/health/quarantines/:id/release',
    {
      config: { access: 'health.write' },
      schema: {
        tags,
        summary: 'Release after a final check: not before the planned end (unless early with a reason), not with a fever; the open checks are dropped',
        params: quarantineParams,
        body: releaseBody,
        response: { 200: quarantineSchema },
      },
    },
    (request) => quarantines.release(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/health/quarantines/:id/lost',
    { config: { access: 'health.write' }, schema: { tags, summary: 'End a quarantine as lost to follow-up (the person could not be followed), with a note', params: quarantineParams, body: lostBody, response: { 200: quarantineSchema } } },
    (request) => quarantines.markLost(request.ctx, actorOf(request), request.params.id, request.body),
  );
}
