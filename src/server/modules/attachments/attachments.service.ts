/**
 * Evidence files (附件): attached to measure updates, closure and supervision evidence. Kept in the
 * database (so a backup holds them), at most 10 MB, of a few office and image types whose content
 * must match the name's extension.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext } from '../../context';
import { AppError, notFound } from '../../errors';
import { audit } from '../audit/audit.service';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

type Kind = { mime: string; magic?: (b: Buffer) => boolean };
const zip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const plainText = (b: Buffer) => !b.subarray(0, 8192).includes(0);
/** The allowed types by extension, with the bytes their content starts with. */
export const ALLOWED_TYPES: Record<string, Kind> = {
  pdf: { mime: 'application/pdf', magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  png: { mime: 'image/png', magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  jpg: { mime: 'image/jpeg', magic: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  jpeg: { mime: 'image/jpeg', magic: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: zip },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: zip },
  txt: { mime: 'text/plain', magic: plainText },
  csv: { mime: 'text/csv', magic: plainText },
};

export const unsupportedType = (fileName: string) =>
  new AppError(415, 'UNSUPPORTED_FILE_TYPE', `${fileName}: only PDF, PNG, JPEG, XLSX, DOCX, TXT and CSV files can be attached`, { allowed: Object.keys(ALLOWED_TYPES) });
export const tooLarge = () => new AppError(413, 'FILE_TOO_LARGE', 'The file is larger than 10 MB; compress it or split it');

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters (below U+0020, and DEL) and quotes would break a Content-Disposition header.
  const clean = [...base].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f' && c !== '"').join('').trim().slice(-200);
  return clean || 'file';
}

/** The stored MIME type of a file, or a 415 when its extension or content is not allowed. */
export function fileType(fileName: string, content: Buffer): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const kind = ALLOWED_TYPES[ext];
  if (!kind) throw unsupportedType(fileName);
  if (kind.magic && !kind.magic(content)) throw new AppError(415, 'FILE_CONTENT_MISMATCH', `${fileName}: the content is not a ${ext.toUpperCase()} file`, { extension: ext });
  return kind.mime;
}

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export function attachmentService(deps: Deps) {
  const { db } = deps.database;
  return {
    async upload(ctx: RequestContext, actor: Actor, rawName: string, content: Buffer): Promise<{ id: string; fileName: string; mimeType: string; size: number }> {
      const fileName = cleanFileName(rawName);
      if (content.length === 0) throw new AppError(400, 'VALIDATION_FAILED', 'The file is empty', [{ path: 'body/file', message: 'empty file' }]);
      if (content.length > MAX_ATTACHMENT_BYTES) throw tooLarge();
      const mimeType = fileType(fileName, content);
      const sha256 = createHash('sha256').update(content).digest('hex');
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('attachments')
          .values({ file_name: fileName, mime_type: mimeType, size_bytes: content.length, sha256, content, created_by: actor.userId, created_at: deps.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'attachment.upload', objectType: 'attachment', objectId: row.id, details: { fileName, mimeType, size: content.length, sha256 } });
        return { id: row.id, fileName, mimeType, size: content.length };
      });
    },

    /**
     * A file for download. Who uploaded it may read it; others when it is evidence of a problem or
     * supervision item of a unit in their scope (measure update, closure, supervision step).
     */
    async download(actor: Actor, id: string): Promise<{ fileName: string; mimeType: string; content: Buffer; sha256: string }> {
      const a = await db.selectFrom('attachments').select(['id', 'file_name', 'mime_type', 'content', 'sha256', 'created_by']).where('id', '=', id).executeTakeFirst();
      if (!a) throw notFound('ATTACHMENT_NOT_FOUND', 'No such attachment');
      const scope = await visibleUnitIds(db, actor);
      if (scope !== null && a.created_by !== actor.userId) {
        const units = scope.size ? [...scope] : ['00000000-0000-0000-0000-000000000000'];
        const viaMeasure = await db
          .selectFrom('measure_updates as mu')
          .innerJoin('measures as m', 'm.id', 'mu.measure_id')
          .innerJoin('problems as p', 'p.id', 'm.problem_id')
          .select('mu.id')
          .where(sql<boolean>`${id}::uuid = ANY(mu.attachment_ids)`)
          .where('p.unit_id', 'in', units)
          .executeTakeFirst();
        const viaClosure = viaMeasure
          ? undefined
          : await db
              .selectFrom('problems as p')
              .select('p.id')
              .where(sql<boolean>`p.verification -> 'evidence' -> 'attachmentIds' @> ${JSON.stringify([id])}::jsonb`)
              .where('p.unit_id', 'in', units)
              .executeTakeFirst();
        const viaSupervision =
          viaMeasure || viaClosure
            ? undefined
            : await db
                .selectFrom('supervision_events as e')
                .innerJoin('supervision_items as i', 'i.id', 'e.item_id')
                .select('e.id')
                .where(sql<boolean>`${id}::uuid = ANY(e.attachment_ids)`)
                .where('i.unit_id', 'in', units)
                .executeTakeFirst();
        if (!viaMeasure && !viaClosure && !viaSupervision) throw notFound('ATTACHMENT_NOT_FOUND', 'No such attachment');
      }
      return { fileName: a.file_name, mimeType: a.mime_type, content: a.content, sha256: a.sha256 };
    },
  };
}
export type AttachmentService = ReturnType<typeof attachmentService>;
