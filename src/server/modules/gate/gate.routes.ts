import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { gateLocale } from '../../../domain/access/reason-messages';
import { actorOf } from '../../auth/guard';
import type { Metrics } from '../../metrics';
import { batchBody, batchResult, deviceInfo, eventsQuery, eventsResult, lookupQuery, lookupResult, maxBatchEvents, scanBody, scanResult, snapshotResponse } from './gate.schemas';
import type { GateService } from './gate.service';

const tags = ['gate'];
/** Gate routes authenticate the device by its bearer token (a guard's session cookie beside it names the guard). */
const security = [{ bearer: [] }];

/** The gate app's API: scans online, offline sync, device info, look-up, the signed snapshot; and the event list for admins. */
export function gateRoutes(app: FastifyInstance, gate: GateService, metrics: Pick<Metrics, 'recordGateDecision'>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/gate/scans',
    {
      config: { access: 'device' },
      // The hot path: the answer is built by gate.service from typed values, so it is written as
      // it is instead of being checked against the schema again (the schema still documents it).
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags,
        security,
        summary: 'Check a person at the gate and record the passage: ALLOW or DENY with the reason in plain words',
        description:
          'Authenticated by the device token (`Authorization: Bearer dev_…`). Give exactly one of `token` (the pass QR), `person` (a code from the look-up) or `idNumber`. ' +
          'The same `idempotencyKey` twice records one event and answers the first answer again (`duplicate: true`). A fever or a red health status on entry opens an abnormal case. ' +
          'The message follows Accept-Language (Chinese by default, English). 422 TEMPERATURE_REQUIRED when the site takes temperatures on entry and none was given; 403 WRONG_CHECKPOINT when the checkpoint is not the device’s.',
        body: scanBody,
        response: { 200: scanResult },
      },
    },
    async (request) => {
      const result = await gate.scan(request.ctx, request.body, gateLocale(request.headers['accept-language']));
      // A resend answers the stored decision again: counted once, when it was made.
      if (!result.duplicate) metrics.recordGateDecision(result.decision, result.reason, 'online');
      return result;
    },
  );
  r.post(
    '/api/gate/scans/batch',
    {
      config: { access: 'device' },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        security,
        summary: `Sync up to ${maxBatchEvents} events decided offline on the device: each stored exactly once, with its original time and the device's decision`,
        description: 'One transaction per batch. An event already stored (by its idempotency key) is a duplicate, answered with the stored id. An allowed event with a reason, or a denied one without, refuses the whole batch (422 INVALID_DECISION with its index).',
        body: batchBody,
        response: { 200: batchResult },
      },
    },
    async (request) => {
      const result = await gate.batch(request.ctx, request.body);
      // The device's decisions, counted for the events stored now (results follow the events' order).
      request.body.events.forEach((e, i) => {
        if (result.results[i]?.duplicate === false) metrics.recordGateDecision(e.decision, e.reason, 'offline-batch');
      });
      return result;
    },
  );
  r.get(
    '/api/gate/device',
    { config: { access: 'device' }, schema: { tags, security, summary: 'The device, its checkpoint and site, the public key snapshots are signed with, and the server time', response: { 200: deviceInfo } } },
    (request) => gate.device(request.ctx),
  );
  r.get(
    '/api/gate/lookup',
    {
      config: { access: 'device' },
      schema: { tags, security, summary: 'Find a person by exact name and the last 4 characters of the ID number or phone (at most 10, names masked)', querystring: lookupQuery, response: { 200: lookupResult } },
    },
    (request) => gate.lookup(request.ctx, request.query.name, request.query.last4),
  );
  r.get(
    '/api/gate/snapshot',
    {
      config: { access: 'device' },
      schema: {
        tags,
        security,
        summary: 'What the device decides with offline: the passes of its site (revoked ones too), blocks, red statuses and visits; signed with Ed25519',
        description: '`payload` is JSON text; `signature` is the base64 Ed25519 signature of its UTF-8 bytes, verifiable with the `publicKey` of GET /api/gate/device.',
        response: { 200: snapshotResponse },
      },
    },
    (request) => gate.snapshot(request.ctx),
  );
  r.get(
    '/api/gate/events',
    {
      config: { access: 'access.read' },
      schema: {
        tags,
        summary: 'The gate events of a checkpoint on a local (Asia/Shanghai) day, oldest first; names and plates masked',
        description: '`temperatureC` is health data: it is null unless the caller holds health.read (purpose binding: health data does not reach access or HR readers).',
        querystring: eventsQuery,
        response: { 200: eventsResult },
      },
    },
    (request) => gate.events(actorOf(request), request.query.checkpoint, request.query.date),
  );
}
