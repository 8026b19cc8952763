import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import type { AccessSettingsService } from './access-settings.service';
import type { CheckpointService } from './checkpoints.service';
import {
  accessSettings,
  buildingList,
  buildingSchema,
  checkpointList,
  checkpointParams,
  checkpointQuery,
  checkpointSchema,
  createBuildingBody,
  createCheckpointBody,
  createGridCellBody,
  createHouseholdBody,
  createSiteBody,
  gridCellList,
  gridCellParams,
  gridCellSchema,
  householdList,
  householdQuery,
  householdSchema,
  patchCheckpointBody,
  patchGridCellBody,
  patchSiteBody,
  putAccessSettingsBody,
  siteList,
  siteParams,
  siteQuery,
  siteSchema,
} from './sites.schemas';
import type { SiteService } from './sites.service';

const tags = ['access'];

/** Sites (小区 / 厂区) with their grid cells, buildings and households (issue 6). */
export function siteRoutes(app: FastifyInstance, sites: SiteService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/sites',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Sites in your scope (communities and plant sites) with counts of grid cells, buildings, households, checkpoints and people', querystring: siteQuery, response: { 200: siteList } } },
    (request) => sites.list(actorOf(request), request.query),
  );
  r.get('/api/sites/:code', { config: { access: 'access.read' }, schema: { tags, summary: 'One site', params: siteParams, response: { 200: siteSchema } } }, (request) => sites.get(actorOf(request), request.params.code));
  r.post(
    '/api/sites',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Add a site: a community or a plant site, owned by a unit in your scope', body: createSiteBody, response: { 201: siteSchema } } },
    async (request, reply) => reply.status(201).send(await sites.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/sites/:code',
    {
      config: { access: 'access.write' },
      schema: {
        tags,
        summary: 'Change a site’s fields (the code stays); needs its version',
        description: 'A change of `accessLevel` (open, restricted, closed) takes effect at every gate at once and is audited as `site.access-level` with the old and the new level.',
        params: siteParams,
        body: patchSiteBody,
        response: { 200: siteSchema },
      },
    },
    (request) => sites.update(request.ctx, actorOf(request), request.params.code, request.body),
  );

  r.get('/api/sites/:code/grid-cells', { config: { access: 'access.read' }, schema: { tags, summary: 'Grid cells (网格) of a site with their grid workers', params: siteParams, response: { 200: gridCellList } } }, (request) =>
    sites.gridCells(actorOf(request), request.params.code),
  );
  r.post(
    '/api/sites/:code/grid-cells',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Add a grid cell; `worker` is the grid worker’s person code', params: siteParams, body: createGridCellBody, response: { 201: gridCellSchema } } },
    async (request, reply) => reply.status(201).send(await sites.createGridCell(request.ctx, actorOf(request), request.params.code, request.body)),
  );
  r.patch(
    '/api/sites/:code/grid-cells/:cell',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Rename a grid cell or change its grid worker; needs its version', params: gridCellParams, body: patchGridCellBody, response: { 200: gridCellSchema } } },
    (request) => sites.updateGridCell(request.ctx, actorOf(request), request.params.code, request.params.cell, request.body),
  );
  r.get('/api/sites/:code/buildings', { config: { access: 'access.read' }, schema: { tags, summary: 'Buildings (楼栋) of a site', params: siteParams, response: { 200: buildingList } } }, (request) =>
    sites.buildings(actorOf(request), request.params.code),
  );
  r.post(
    '/api/sites/:code/buildings',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Add a building, optionally in a grid cell of the site', params: siteParams, body: createBuildingBody, response: { 201: buildingSchema } } },
    async (request, reply) => reply.status(201).send(await sites.createBuilding(request.ctx, actorOf(request), request.params.code, request.body)),
  );
  r.get(
    '/api/sites/:code/households',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Households (户) of a site with their member counts, optionally of one building', params: siteParams, querystring: householdQuery, response: { 200: householdList } } },
    (request) => sites.households(actorOf(request), request.params.code, request.query),
  );
  r.post(
    '/api/sites/:code/households',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Add a household (户号, e.g. 3-2-401), optionally in a building of the site', params: siteParams, body: createHouseholdBody, response: { 201: householdSchema } } },
    async (request, reply) => reply.status(201).send(await sites.createHousehold(request.ctx, actorOf(request), request.params.code, request.body)),
  );
}

/** Checkpoints (卡口) with their opening hours. */
export function checkpointRoutes(app: FastifyInstance, checkpoints: CheckpointService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/checkpoints',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Checkpoints of the sites in your scope, optionally of one site', querystring: checkpointQuery, response: { 200: checkpointList } } },
    (request) => checkpoints.list(actorOf(request), request.query),
  );
  r.get('/api/checkpoints/:code', { config: { access: 'access.read' }, schema: { tags, summary: 'One checkpoint', params: checkpointParams, response: { 200: checkpointSchema } } }, (request) =>
    checkpoints.get(actorOf(request), request.params.code),
  );
  r.post(
    '/api/checkpoints',
    {
      config: { access: 'access.write' },
      schema: {
        tags,
        summary: 'Add a checkpoint to a site',
        description: '`openingHours`: local (Asia/Shanghai) windows `[{ "from": "06:00", "to": "22:00" }]`; a window may run past midnight (`22:00`–`06:00`); null = always open.',
        body: createCheckpointBody,
        response: { 201: checkpointSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await checkpoints.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/checkpoints/:code',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Change a checkpoint’s names, site, opening hours or vehicle use; needs its version', params: checkpointParams, body: patchCheckpointBody, response: { 200: checkpointSchema } } },
    (request) => checkpoints.update(request.ctx, actorOf(request), request.params.code, request.body),
  );
}

/** Settings of access control: how ID numbers are masked. */
export function accessSettingsRoutes(app: FastifyInstance, settings: AccessSettingsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/access/settings', { config: { access: 'access.read' }, schema: { tags, summary: 'Access-control settings: the ID number mask (1+2 or 6+4)', response: { 200: accessSettings } } }, () => settings.get());
  r.put(
    '/api/access/settings',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Set how ID numbers are masked everywhere: first 1 and last 2 characters, or first 6 and last 4', body: putAccessSettingsBody, response: { 200: accessSettings } } },
    (request) => settings.put(request.ctx, request.body),
  );
}
