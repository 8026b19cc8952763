import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { riskAreasFromFile } from './risk-areas.import';
import { createRiskAreaBody, endRiskAreaBody, importRiskAreasResult, riskAreaList, riskAreaParams, riskAreaQuery, riskAreaSchema, updateRiskAreaBody } from './risk-areas.schemas';
import type { RiskAreaService } from './risk-areas.service';

const tags = ['health'];
const maxFileBytes = 10 * 1024 * 1024;

/** Risk areas (风险地区): entered, edited, ended and imported (issue 7 item 3). */
export function riskAreaRoutes(app: FastifyInstance, areas: RiskAreaService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health/risk-areas',
    { config: { access: 'health.read' }, schema: { tags, summary: 'Risk areas, most severe level first (active=true: valid today; false: expired or not yet valid)', querystring: riskAreaQuery, response: { 200: riskAreaList } } },
    (request) => areas.list(request.query),
  );
  r.post(
    '/api/health/risk-areas',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Enter a risk area; statuses of people who stayed there are recomputed (audited)', body: createRiskAreaBody, response: { 201: riskAreaSchema } },
    },
    async (request, reply) => reply.status(201).send(await areas.create(request.ctx, request.body)),
  );
  r.put(
    '/api/health/risk-areas/:id',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'Change a risk area (with its version; 409 STALE_VERSION when changed meanwhile; audited)', params: riskAreaParams, body: updateRiskAreaBody, response: { 200: riskAreaSchema } },
    },
    (request) => areas.update(request.ctx, request.params.id, request.body),
  );
  r.post(
    '/api/health/risk-areas/:id/end',
    {
      config: { access: 'health.write' },
      schema: { tags, summary: 'End a risk area: validTo is its last day (audited)', params: riskAreaParams, body: endRiskAreaBody, response: { 200: riskAreaSchema } },
    },
    (request) => areas.end(request.ctx, request.params.id, request.body.validTo),
  );
  r.post(
    '/api/health/risk-areas/import',
    {
      config: { access: 'health.write' },
      bodyLimit: maxFileBytes + 1024 * 1024,
      schema: {
        tags,
        summary: 'Import risk areas from xlsx or CSV, all or nothing (audited)',
        description:
          'multipart/form-data with the field `file`. Headers region/地区, level/等级 (high, medium, low or 高, 中, 低), valid_from/生效日期, valid_to/失效日期 (optional), source/来源 (optional); CSV may be UTF-8 (with or without BOM) or GBK. Any bad row: 422 IMPORT_INVALID with every problem as `{ row, column, message }` in details and nothing stored.',
        consumes: ['multipart/form-data'],
        response: { 200: importRiskAreasResult },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      let file: { buffer: Buffer; filename: string } | null = null;
      const tooLarge = () => new AppError(413, 'FILE_TOO_LARGE', 'The file is larger than 10 MB; split it');
      try {
        for await (const part of request.parts({ limits: { fileSize: maxFileBytes, files: 1, fields: 5, fieldSize: 1000 } })) {
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
      return areas.importAreas(request.ctx, await riskAreasFromFile(file.buffer, file.filename), file.filename);
    },
  );
}
