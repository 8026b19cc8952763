import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  closeIncidentBody,
  createIncidentBody,
  incidentList,
  incidentParams,
  incidentSchema,
  patchIncidentBody,
  purgeBody,
  purgeReportList,
  purgeReportSchema,
} from './incidents.schemas';
import type { IncidentService } from './incidents.service';

const tags = ['health'];

/** Incidents (疫情应急事件): emergency mode on and off, retention and purge (issue 7). */
export function incidentRoutes(app: FastifyInstance, incidents: IncidentService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/incidents/active',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'The active incident (emergency mode on) with its sites, units and settings, or null when emergency mode is off', response: { 200: incidentSchema.nullable() } },
    },
    () => incidents.active(),
  );
  r.get(
    '/api/health/incidents',
    { config: { access: 'health.read' }, schema: { tags, summary: 'Every incident, newest first: status, close, purge due date, purge date and the latest purge report', response: { 200: incidentList } } },
    () => incidents.list(),
  );
  r.post(
    '/api/health/incidents',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Switch emergency mode on: an incident covering sites and units in your scope (422 INCIDENT_ALREADY_ACTIVE while another is active)',
        body: createIncidentBody,
        response: { 201: incidentSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await incidents.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/health/incidents/:id',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Change an incident’s name, settings, sites or units (optimistic locking by version; after the close only the name and retention)',
        params: incidentParams,
        body: patchIncidentBody,
        response: { 200: incidentSchema },
      },
    },
    (request) => incidents.update(request.ctx, actorOf(request), request.params.id, request.body),
  );
  r.post(
    '/api/health/incidents/:id/close',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Switch emergency mode off: close the incident (its name typed again as confirmation); the purge is due retentionDays later',
        params: incidentParams,
        body: closeIncidentBody,
        response: { 200: incidentSchema },
      },
    },
    (request) => incidents.close(request.ctx, actorOf(request), request.params.id, request.body.name),
  );
  r.post(
    '/api/health/incidents/:id/purge',
    {
      config: { access: 'health.admin' },
      schema: {
        tags,
        summary: 'Purge the incident’s personal health, travel and contact data (dryRun: only count them); a real purge needs the incident closed and its purge date reached',
        description: 'Counts by table. Kept: the incident, transfers without their people, supplies, donations, volunteers, risk areas and the stored daily briefings. 422 PURGE_NOT_DUE (details.purgeDueAt), 422 INCIDENT_PURGED.',
        params: incidentParams,
        body: purgeBody,
        response: { 200: purgeReportSchema },
      },
    },
    (request) => incidents.purge(request.ctx, request.params.id, request.body.dryRun),
  );
  r.get(
    '/api/health/incidents/:id/purges',
    { config: { access: 'health.admin' }, schema: { tags, summary: 'The purge reports (runs and dry runs) of an incident, newest first', params: incidentParams, response: { 200: purgeReportList } } },
    (request) => incidents.purges(request.params.id),
  );
}
