import type { ImportKind, ImportProgress, ImportResult, ImportRowError } from '../../../server/modules/imports/imports.schemas';
import { ApiError, clientErrorCodes, getCsrfToken, notifyAuthError } from '../../app/api-client';

export const maxImportBytes = 20 * 1024 * 1024;
export const acceptedExtensions = ['.xlsx', '.csv'];

export interface UploadHandle {
  promise: Promise<ImportResult>;
  abort: () => void;
}

function isImportResult(value: unknown): value is ImportResult {
  return typeof value === 'object' && value !== null && 'kind' in value && Array.isArray((value as { errors?: unknown }).errors);
}

/**
 * Sends a file to `POST /api/imports` through XMLHttpRequest (fetch reports no upload progress).
 * Resolves with the import's result, also when it lists bad rows (422); rejects with an ApiError
 * for file-level problems.
 */
export function uploadImport(
  kind: ImportKind,
  file: File,
  dryRun: boolean,
  onProgress: (percent: number) => void,
  /** Sent as x-import-id: `GET /api/imports/progress/{id}` then tells where the server stands. */
  progressId?: string,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportResult>((resolve, reject) => {
    const form = new FormData();
    // The fields before the file: the server reads the parts in order.
    form.append('kind', kind);
    if (dryRun) form.append('dryRun', 'true');
    form.append('file', file, file.name);
    xhr.open('POST', '/api/imports');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    const token = getCsrfToken();
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    if (progressId) xhr.setRequestHeader('x-import-id', progressId);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, clientErrorCodes.network, 'Network error'));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        // not JSON: a proxy page or an empty body
      }
      if ((xhr.status === 200 || xhr.status === 422) && isImportResult(body)) {
        resolve(body);
        return;
      }
      const payload = (body ?? {}) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
      const error =
        payload.error && typeof payload.error.code === 'string'
          ? new ApiError(xhr.status, payload.error.code, String(payload.error.message ?? ''), payload.error.details)
          : new ApiError(xhr.status, clientErrorCodes.unexpected, `${xhr.status} ${xhr.statusText}`);
      notifyAuthError(error);
      reject(error);
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

type Step = 'uploading' | ImportProgress['phase'] | 'readingOf';

/**
 * What the progress bar shows: the upload fills the first fifth, the server's work the rest. A
 * large .xlsx of measurements is written while it is read (step `readingOf`): the bar follows the
 * rows written against the rows the worksheet declares, and stays below where the writing phase
 * that follows the read would put it, so it never goes back.
 */
export function overallProgress(
  uploadPercent: number,
  server: ImportProgress | undefined,
): { percent: number; step: Step; rows: number | null; written: number | null; toWrite: number | null; expected: number | null } {
  const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));
  if (!server || uploadPercent < 100) return { percent: clamp(Math.min(uploadPercent, 100) * 0.2), step: 'uploading', rows: null, written: null, toWrite: null, expected: null };
  const { phase, rows, written, toWrite } = server;
  const expected = phase === 'reading' && server.expectedRows ? server.expectedRows : null;
  const share = (done: number | null, of: number | null) => (of ? Math.min(1, (done ?? 0) / of) : 0);
  const percent = expected
    ? 25 + 74 * share(written, expected)
    : { reading: 25, checking: 40, writing: 50 + 49 * share(written, toWrite), done: 100, failed: 100 }[phase];
  return { percent: clamp(percent), step: expected ? 'readingOf' : phase, rows, written, toWrite, expected };
}

/** A fresh id for one upload's progress. */
export function newProgressId(): string {
  return `imp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A spreadsheet cell that would start a formula is kept as text. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The error report as a CSV file (UTF-8 with BOM, for Excel) handed to the browser as a download. */
export function downloadErrorReport(errors: readonly ImportRowError[], headers: [string, string, string, string], name: string): void {
  const lines = [headers.map(csvCell).join(','), ...errors.map((e) => [e.row, e.column, e.value, e.message].map(csvCell).join(','))];
  const blob = new Blob(['\uFEFF', lines.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
