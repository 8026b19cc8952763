import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { AppError } from '../../errors';
import {
  createMeterBody,
  ingestResult,
  maxReadingsPerRequest,
  meterDetail,
  meterList,
  meterParams,
  meterQuery,
  meterSchema,
  putMeterBody,
  readingList,
  readingQuery,
  readingsBody,
  replacementBody,
  replacementSchema,
} from './energy.schemas';
import type { MeterService } from './meters.service';
import { readingsFromFile, type RawReading, type ReadingService } from './readings.service';
import {
  confirmBody,
  confirmParams,
  confirmResult,
  consumptionQuery,
  consumptionResult,
  feedBody,
  feedList,
  feedRow,
  productionBody,
  productionList,
  productionQuery,
  productionRow,
  qualityQuery,
  qualityResult,
  queueStatus,
  unitConsumptionParams,
  unitConsumptionQuery,
  unitConsumptionResult,
} from './consumption.schemas';
import type { ConsumptionService } from './consumption.service';
import type { FeedService } from './feeds.service';

const tags = ['energy'];
/** 50 000 readings of JSON are about 3 MB; this route alone reads up to 8 MB. */
export const readingsBodyLimit = 8 * 1024 * 1024;
export const maxReadingFileBytes = 20 * 1024 * 1024;

export function energyRoutes(app: FastifyInstance, meters: MeterService, readings: ReadingService, data?: { consumption: ConsumptionService; feeds: FeedService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/energy/meters', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Meters of the units in your scope (a tree: each names its parent), by unit and carrier', querystring: meterQuery, response: { 200: meterList } } }, (request) =>
    meters.list(actorOf(request), request.query),
  );
  r.get('/api/energy/meters/:code', { config: { access: 'indicator.read' }, schema: { tags, summary: 'One meter with its replacements', params: meterParams, response: { 200: meterDetail } } }, (request) =>
    meters.get(actorOf(request), request.params.code),
  );
  r.post(
    '/api/energy/meters',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Add a meter: counter (with rollover), interval, or virtual (a signed sum of meters of the same carrier and unit of measure)', body: createMeterBody, response: { 201: meterSchema } } },
    async (request, reply) => reply.status(201).send(await meters.create(request.ctx, actorOf(request), request.body)),
  );
  r.put('/api/energy/meters/:code', { config: { access: 'indicator.write' }, schema: { tags, summary: 'Replace a meter’s fields (the code stays); needs its version', params: meterParams, body: putMeterBody, response: { 200: meterSchema } } }, (request) =>
    meters.update(request.ctx, actorOf(request), request.params.code, request.body),
  );
  r.post(
    '/api/energy/meters/:code/replacements',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Record a counter exchanged in place: the old register’s final reading and the new one’s initial reading', params: meterParams, body: replacementBody, response: { 201: replacementSchema } } },
    async (request, reply) => reply.status(201).send(await meters.replace(request.ctx, actorOf(request), request.params.code, request.body)),
  );

  r.post(
    '/api/energy/readings',
    {
      config: { access: 'measurement.enter' },
      bodyLimit: readingsBodyLimit,
      schema: {
        tags,
        summary: `Send up to ${maxReadingsPerRequest} readings: idempotent per meter and time; a different value for a stored time is a conflict, never an overwrite`,
        description:
          'Each reading is checked on its own: unknown meters (and meters of units outside your scope), virtual meters, bad times and non-finite values are listed in `rejected` with their index; the rest are stored in one transaction. Times are ISO-8601; without an offset they are Asia/Shanghai.',
        body: readingsBody,
        response: { 200: ingestResult },
      },
    },
    (request) => readings.ingest(request.ctx, actorOf(request), request.body.readings as RawReading[], 'api'),
  );
  r.post(
    '/api/energy/readings/csv',
    {
      config: { access: 'measurement.enter' },
      bodyLimit: maxReadingFileBytes + 5 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Send readings as a CSV or xlsx file (meter_code, timestamp, value / 表计编码, 时间, 读数)',
        description: 'multipart/form-data with the field `file`. CSV may be UTF-8 (with or without BOM) or GBK/GB18030. Answers like POST /api/energy/readings; `index` counts data rows from 0 and `row` is the file row.',
        consumes: ['multipart/form-data'],
        response: { 200: ingestResult },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      let file: { buffer: Buffer; filename: string } | null = null;
      const tooLarge = () => new AppError(413, 'FILE_TOO_LARGE', 'The file is larger than 20 MB; split it');
      try {
        for await (const part of request.parts({ limits: { fileSize: maxReadingFileBytes, files: 1, fields: 5, fieldSize: 1000 } })) {
          if (part.type === 'file') {
            const buffer = await part.toBuffer();
            if (part.file.truncated) throw tooLarge();
            file = { buffer, filename: part.filename ?? 'upload' };
          }
        }
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw e;
      }
      if (!file) throw new AppError(400, 'VALIDATION_FAILED', 'The field "file" is missing', [{ path: 'body/file', message: 'required' }]);
      const rows = await readingsFromFile(file.buffer, file.filename);
      return readings.ingest(request.ctx, actorOf(request), rows, 'csv', file.filename);
    },
  );
  r.get('/api/energy/readings', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Raw readings of one meter, oldest first (from/to: a date or an ISO-8601 time; at most 10 000)', querystring: readingQuery, response: { 200: readingList } } }, (request) =>
    readings.list(actorOf(request), request.query),
  );
  if (data) energyDataRoutes(app, data.consumption, data.feeds);
}

/** Consumption, quality, production and feeds into benchmarking (issue 5, parts 3–4). */
export function energyDataRoutes(app: FastifyInstance, consumption: ConsumptionService, feeds: FeedService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/energy/queue',
    { config: { access: 'indicator.read' }, schema: { tags, summary: 'Days of the meters in scope still waiting to be recomputed after uploads (0: every figure is current)', response: { 200: queueStatus } } },
    (request) => consumption.pending(actorOf(request)),
  );
  r.get(
    '/api/energy/consumption',
    { config: { access: 'indicator.read' }, schema: { tags, summary: 'Consumption of one meter per hour (from the readings), day or month (from the daily rows), with a quality score', querystring: consumptionQuery, response: { 200: consumptionResult } } },
    (request) => consumption.meter(actorOf(request), request.query),
  );
  r.get(
    '/api/energy/units/:code/consumption',
    { config: { access: 'indicator.read' }, schema: { tags, summary: "A unit's consumption of one carrier per day or month: the roots of its meter tree (virtual roots when it has any)", params: unitConsumptionParams, querystring: unitConsumptionQuery, response: { 200: unitConsumptionResult } } },
    (request) => consumption.unit(actorOf(request), request.params.code, request.query),
  );
  r.get(
    '/api/energy/quality',
    { config: { access: 'indicator.read' }, schema: { tags, summary: 'Data quality per meter and day (the heatmap): score, suspect, confirmed, findings; the unit and the units below it', querystring: qualityQuery, response: { 200: qualityResult } } },
    (request) => consumption.quality(actorOf(request), request.query),
  );
  r.post(
    '/api/energy/daily/:meter/:day/confirm',
    { config: { access: 'measurement.enter' }, schema: { tags, summary: 'Confirm a suspect day: it counts again in indicators (audited)', params: confirmParams, body: confirmBody, response: { 200: confirmResult } } },
    (request) => consumption.confirm(request.ctx, actorOf(request), request.params.meter, request.params.day, request.body.reason),
  );
  r.put(
    '/api/energy/production',
    { config: { access: 'measurement.enter' }, schema: { tags, summary: 'Enter (or replace) a day of production of a unit and product (audited)', body: productionBody, response: { 200: productionRow } } },
    (request) => consumption.putProduction(request.ctx, actorOf(request), request.body),
  );
  r.get('/api/energy/production', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Daily production of a unit', querystring: productionQuery, response: { 200: productionList } } }, (request) =>
    consumption.production(actorOf(request), request.query),
  );
  r.get('/api/energy/feeds', { config: { access: 'indicator.read' }, schema: { tags, summary: 'Which meter feeds which quantity indicator of which unit', response: { 200: feedList } } }, (request) => feeds.list(actorOf(request)));
  r.put(
    '/api/energy/feeds',
    { config: { access: 'indicator.write' }, schema: { tags, summary: 'Let a meter feed a typed sum indicator of a unit (same unit of measure; the meter in the unit or below)', body: feedBody, response: { 200: feedRow } } },
    (request) => feeds.put(request.ctx, actorOf(request), request.body),
  );
}
