import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import type { DeviceService } from './devices.service';
import { checkpointParams, createDeviceBody, createdDevice, deviceList, deviceParams, deviceSchema } from './gate.schemas';

const tags = ['gate'];

/** Binding gate devices to checkpoints (the token is shown once), listing and revoking them. */
export function deviceRoutes(app: FastifyInstance, devices: DeviceService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/checkpoints/:code/devices',
    {
      config: { access: 'access.write' },
      schema: {
        tags,
        summary: 'Bind a new device to a checkpoint: answers its bearer token once (only its hash is stored)',
        params: checkpointParams,
        body: createDeviceBody,
        response: { 201: createdDevice },
      },
    },
    async (request, reply) => reply.status(201).send(await devices.create(request.ctx, actorOf(request), request.params.code, request.body.name)),
  );
  r.get(
    '/api/checkpoints/:code/devices',
    { config: { access: 'access.read' }, schema: { tags, summary: 'The devices of a checkpoint, newest first, revoked ones included', params: checkpointParams, response: { 200: deviceList } } },
    (request) => devices.list(actorOf(request), request.params.code),
  );
  r.post(
    '/api/devices/:id/revoke',
    { config: { access: 'access.write' }, schema: { tags, summary: 'Revoke a device: its token stops working at once', params: deviceParams, response: { 200: deviceSchema } } },
    (request) => devices.revoke(request.ctx, actorOf(request), request.params.id),
  );
}
