import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  denialsQuery,
  denialsResult,
  liveResult,
  rollCallQuery,
  rollCallResult,
  trafficQuery,
  trafficResult,
  vehiclePassagesQuery,
  vehiclePassagesResult,
} from './access-live.schemas';
import type { AccessLiveService } from './access-live.service';

const tags = ['access'];

/** Live views of the gates: occupancy, traffic, denials, vehicles, roll-call (issue 6, part 6). */
export function accessLiveRoutes(app: FastifyInstance, live: AccessLiveService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/access/live',
    {
      config: { access: 'access.read' },
      schema: {
        tags,
        summary: 'Occupancy per site in your scope: inside now (last allowed passage in the last 24 h was in), entries, exits and denials today by reason',
        response: { 200: liveResult },
      },
    },
    (request) => live.live(actorOf(request)),
  );
  r.get(
    '/api/access/traffic',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Passages of a site by local hour and checkpoint for a day (default today): allowed in, allowed out, denied', querystring: trafficQuery, response: { 200: trafficResult } } },
    (request) => live.traffic(actorOf(request), request.query),
  );
  r.get(
    '/api/access/denials',
    {
      config: { access: 'access.read' },
      schema: {
        tags,
        summary: 'Denied passages of a site (or every site in scope) from–to (local dates, default today), with reasons; names masked',
        description: '`temperatureC` is health data: it is null unless the caller holds health.read (purpose binding: health data does not reach access or HR readers).',
        querystring: denialsQuery,
        response: { 200: denialsResult },
      },
    },
    (request) => live.denials(actorOf(request), request.query),
  );
  r.get(
    '/api/access/vehicles',
    {
      config: { access: 'access.read' },
      schema: { tags, summary: 'Vehicle passages of a site for a day: disinfected, and whether the plate is registered for the site (plates masked unless access.write)', querystring: vehiclePassagesQuery, response: { 200: vehiclePassagesResult } },
    },
    (request) => live.vehicles(actorOf(request), request.query),
  );
  r.get(
    '/api/access/roll-call',
    {
      config: { access: 'access.read' },
      schema: {
        tags,
        summary: 'Who is inside a site now (evacuation roll-call), by unit then name',
        description: 'Names are in full for access.write (the incident commander reads them aloud) and masked for readers; `namesMasked` says which.',
        querystring: rollCallQuery,
        response: { 200: rollCallResult },
      },
    },
    (request) => live.rollCall(actorOf(request), request.query),
  );
}
