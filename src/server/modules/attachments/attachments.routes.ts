import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../auth/guard';
import { AppError } from '../../errors';
import { attachmentParams, attachmentSchema } from '../problems/problems.schemas';
import { contentDisposition, MAX_ATTACHMENT_BYTES, tooLarge, type AttachmentService } from './attachments.service';

const tags = ['problems'];

export function attachmentRoutes(app: FastifyInstance, attachments: AttachmentService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/attachments',
    {
      config: { access: 'problem.write' },
      schema: {
        tags,
        summary: 'Upload an evidence file (multipart field `file`; PDF, PNG, JPEG, XLSX, DOCX, TXT or CSV, at most 10 MB)',
        description: '413 FILE_TOO_LARGE above 10 MB; 415 UNSUPPORTED_FILE_TYPE for another type, FILE_CONTENT_MISMATCH when the content does not match the extension. Use the returned id in measure updates and closure evidence.',
        consumes: ['multipart/form-data'],
        response: { 201: attachmentSchema },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data with the field "file"');
      let file: { buffer: Buffer; filename: string } | null = null;
      try {
        for await (const part of request.parts({ limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, fieldSize: 1000 } })) {
          if (part.type === 'file') {
            const buffer = await part.toBuffer();
            if (part.file.truncated) throw tooLarge();
            if (part.fieldname === 'file') file = { buffer, filename: part.filename ?? 'file' };
          }
        }
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
        throw e;
      }
      if (!file) throw new AppError(400, 'VALIDATION_FAILED', 'The field "file" is missing', [{ path: 'body/file', message: 'required' }]);
      return reply.status(201).send(await attachments.upload(request.ctx, actorOf(request), file.filename, file.buffer));
    },
  );
  r.get(
    '/api/attachments/:id',
    { config: { access: 'problem.read' }, schema: { tags, summary: 'Download an evidence file (as an attachment, never rendered inline)', params: attachmentParams, produces: ['application/octet-stream'], response: { 200: z.string().describe('The file, with its stored Content-Type') } } },
    async (request, reply) => {
      const a = await attachments.download(actorOf(request), request.params.id);
      return reply
        .header('content-type', a.mimeType)
        .header('content-disposition', contentDisposition(a.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('etag', `"${a.sha256}"`)
        .send(a.content as unknown as string);
    },
  );
}
