import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../auth/guard';
import { z } from 'zod';
import { AppError } from '../../errors';
import { errorBody } from '../../errors.schemas';
import type { Metrics } from '../../metrics';
import { importKinds, importProgress, importProgressParams, importResult, templateQuery, type ImportKind } from './imports.schemas';
import type { ImportService } from './imports.service';

const tags = ['imports'];
export const maxImportBytes = 20 * 1024 * 1024;

export function importRoutes(app: FastifyInstance, imports: ImportService, metrics: Pick<Metrics, 'recordImport'>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/imports',
    {
      config: { access: 'import.run', rateLimit: { max: 30, timeWindow: 60_000 } },
      bodyLimit: maxImportBytes + 5 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import an xlsx or CSV file: all rows or none',
        description:
          'multipart/form-data with fields `file`, `kind` (units, indicators, assignments, measurements, targets, benchmarks, meters, sites, checkpoints, people) and optional `dryRun=true`. An optional header `x-import-id` (8–64 letters, digits or -) lets `GET /api/imports/progress/{id}` report where the import stands while it runs. 200 when committed (or checked in a dry run); 422 with every bad row in `errors` when nothing was committed. Headers may be English or Chinese; CSV may be UTF-8 (with or without BOM) or GBK/GB18030.',
        consumes: ['multipart/form-data'],
        response: { 200: importResult, 422: z.union([importResult, errorBody]) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      const fields = new Map<string, string>();
      let file: { buffer: Buffer; filename: string } | null = null;
      const tooLarge = () => new AppError(413, 'FILE_TOO_LARGE', 'The file is larger than 20 MB; split it or import fewer rows at a time');
      try {
        for await (const part of request.parts({ limits: { fileSize: maxImportBytes, files: 1, fields: 10, fieldSize: 1000 } })) {
          if (part.type === 'file') {
            const buffer = await part.toBuffer();
            if (part.file.truncated) throw tooLarge();
            file = { buffer, filename: part.filename ?? 'upload' };
          } else fields.set(part.fieldname, String(part.value));
        }
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw e;
      }
      const kind = fields.get('kind');
      if (!kind || !(importKinds as readonly string[]).includes(kind)) {
        throw new AppError(400, 'VALIDATION_FAILED', `The field "kind" must be one of ${importKinds.join(', ')}`, [{ path: 'body/kind', message: 'invalid kind' }]);
      }
      if (!file) throw new AppError(400, 'VALIDATION_FAILED', 'The field "file" is missing', [{ path: 'body/file', message: 'required' }]);
      const dryRun = ['true', '1', 'yes'].includes((fields.get('dryRun') ?? '').toLowerCase());
      const progressId = request.headers['x-import-id'];
      if (progressId !== undefined && (typeof progressId !== 'string' || !importProgressParams.shape.id.safeParse(progressId).success)) {
        throw new AppError(400, 'VALIDATION_FAILED', 'The header x-import-id must be 8–64 letters, digits or -', [{ path: 'headers/x-import-id', message: 'invalid id' }]);
      }
      const result = await imports.run(request.ctx, actorOf(request), kind as ImportKind, file.buffer, file.filename, dryRun, progressId);
      // A dry run imports nothing: only the real import is counted (once, not twice with its check).
      if (!dryRun) metrics.recordImport(kind, result.errors.length ? 'rejected' : 'ok', result.rows, file.buffer.length);
      return reply.status(result.errors.length ? 422 : 200).send(result);
    },
  );
  r.get(
    '/api/imports/progress/:id',
    { config: { access: 'import.run' }, schema: { tags, summary: "Where one of your running imports stands (the id sent in x-import-id)", params: importProgressParams, response: { 200: importProgress } } },
    async (request) => {
      const state = imports.progress(actorOf(request), request.params.id);
      if (!state) throw new AppError(404, 'IMPORT_NOT_FOUND', 'No import of yours with this id is running on this server (or it ended over 10 minutes ago)');
      return state;
    },
  );
  r.get(
    '/api/imports/template',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'A template (xlsx or CSV) for a kind, prefilled with a unit’s codes and a period', querystring: templateQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'], response: { 200: z.string().describe('The template file') } } },
    async (request, reply) => {
      const t = await imports.template(actorOf(request), request.query);
      return reply.header('content-type', t.contentType).header('content-disposition', `attachment; filename="${t.filename}"`).send(t.body as unknown as string); // a file, sent as is
    },
  );
}
