import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import {
  detailQuery,
  entryGrid,
  measurementDetail,
  entryQuery,
  lockBody,
  missingQuery,
  missingReport,
  periodList,
  periodParams,
  periodSchema,
  reopenBody,
  returnBody,
  saveEntryBody,
  unitPeriodBody,
  unlockBody,
  workflowResult,
} from './measurements.schemas';
import type { MeasurementService } from './measurements.service';

const tags = ['data entry'];

export function measurementRoutes(app: FastifyInstance, measurements: MeasurementService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/entry', { config: { access: 'indicator.read' }, schema: { tags, summary: "A unit's data-entry grid for a month", querystring: entryQuery, response: { 200: entryGrid } } }, (request) =>
    measurements.grid(actorOf(request), request.query.unit, request.query.period),
  );
  r.put(
    '/api/entry',
    { config: { access: 'measurement.enter' }, schema: { tags, summary: 'Save values (drafts; approved at once for an approver)', body: saveEntryBody, response: { 200: entryGrid } } },
    (request) => measurements.save(request.ctx, actorOf(request), request.body),
  );
  r.post('/api/entry/submit', { config: { access: 'measurement.enter' }, schema: { tags, summary: 'Submit drafts for approval', body: unitPeriodBody, response: { 200: workflowResult } } }, (request) =>
    measurements.submit(request.ctx, actorOf(request), request.body.unit, request.body.period),
  );
  r.post('/api/entry/approve', { config: { access: 'measurement.approve' }, schema: { tags, summary: 'Approve submitted values', body: unitPeriodBody, response: { 200: workflowResult } } }, (request) =>
    measurements.approve(request.ctx, actorOf(request), request.body.unit, request.body.period),
  );
  r.post('/api/entry/return', { config: { access: 'measurement.approve' }, schema: { tags, summary: 'Return submitted values with a comment', body: returnBody, response: { 200: workflowResult } } }, (request) =>
    measurements.return(request.ctx, actorOf(request), request.body.unit, request.body.period, request.body.comment),
  );
  r.post('/api/entry/reopen', { config: { access: 'measurement.approve' }, schema: { tags, summary: 'Reopen approved values (with a reason)', body: reopenBody, response: { 200: workflowResult } } }, (request) =>
    measurements.reopen(request.ctx, actorOf(request), request.body.unit, request.body.period, request.body.reason),
  );
  r.get('/api/entry/missing', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Missing values by unit for a month', querystring: missingQuery, response: { 200: missingReport } } }, (request) =>
    measurements.missing(actorOf(request), request.query.period),
  );
  r.get(
    '/api/entry/detail',
    { config: { access: 'indicator.read' }, schema: { tags, summary: 'Drill-down: where a number comes from (source, inputs, who, history)', querystring: detailQuery, response: { 200: measurementDetail } } },
    (request) => measurements.detail(actorOf(request), request.query.unit, request.query.indicator, request.query.period),
  );
  r.get('/api/periods', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Closed and reopened months (others are open)', response: { 200: periodList } } }, async () => ({
    items: await measurements.periods(),
  }));
  r.post('/api/periods/:period/lock', { config: { access: 'period.lock' }, schema: { tags, summary: 'Close a month', params: periodParams, body: lockBody, response: { 200: periodSchema } } }, (request) =>
    measurements.setLocked(request.ctx, actorOf(request), request.params.period, true, request.body.reason),
  );
  r.post('/api/periods/:period/unlock', { config: { access: 'period.lock' }, schema: { tags, summary: 'Reopen a month (a reason is required)', params: periodParams, body: unlockBody, response: { 200: periodSchema } } }, (request) =>
    measurements.setLocked(request.ctx, actorOf(request), request.params.period, false, request.body.reason),
  );
}
