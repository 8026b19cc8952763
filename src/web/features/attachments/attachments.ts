import type { Attachment } from '../../../server/modules/problems/problems.schemas';
import { api } from '../../app/api-client';

export type { Attachment };

/** Uploads one file (POST /api/attachments, multipart field `file`): measure updates, evidence. */
export function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.upload<Attachment>('/api/attachments', form);
}

/** Where a file is downloaded from. */
export const attachmentUrl = (id: string) => `/api/attachments/${encodeURIComponent(id)}`;

/** Files the server takes (the accept attribute of a file input). */
export const acceptedFiles = '.pdf,.png,.jpg,.jpeg,.xlsx,.docx,.txt,.csv';
