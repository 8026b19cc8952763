import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { createVehicleBody, patchVehicleBody, vehicleList, vehicleParams, vehicleQuery, vehicleSchema } from './vehicles.schemas';
import type { VehicleService } from './vehicles.service';

const tags = ['access'];

/** The vehicle registry (车辆) with per-site permission (issue 6). */
export function vehicleRoutes(app: FastifyInstance, vehicles: VehicleService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/vehicles',
    { config: { access: 'access.read' }, schema: { tags, summary: 'Vehicles that may enter the sites in your scope (plates masked unless you have access.write)', querystring: vehicleQuery, response: { 200: vehicleList } } },
    (request) => vehicles.list(actorOf(request), request.query),
  );
  r.post(
    '/api/vehicles',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Register a vehicle by plate with the sites it may enter (audited)', body: createVehicleBody, response: { 201: vehicleSchema } } },
    async (request, reply) => reply.status(201).send(await vehicles.create(request.ctx, actorOf(request), request.body)),
  );
  r.patch(
    '/api/vehicles/:plate',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Change a vehicle’s owner, kind, note or sites; needs its version (audited)', params: vehicleParams, body: patchVehicleBody, response: { 200: vehicleSchema } } },
    (request) => vehicles.update(request.ctx, actorOf(request), request.params.plate, request.body),
  );
}
