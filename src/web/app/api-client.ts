import type { ErrorBody } from '../../server/errors.schemas';

/** An error the API answered with (`{ error: { code, message, details } }`), or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Codes the client itself produces when the server gave no error body. */
export const clientErrorCodes = { network: 'NETWORK', unexpected: 'UNEXPECTED_RESPONSE' } as const;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryParams = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  query?: QueryParams;
  signal?: AbortSignal;
  /** false for calls whose 401 means "wrong credentials", not "signed out" (the login itself). */
  authRedirect?: boolean;
  /**
   * The Idempotency-Key of a POST (a new one per call unless given): a caller that retries a
   * mutation itself passes the key of its first attempt, so the server runs it at most once.
   */
  idempotencyKey?: string;
}

/** A random UUID; crypto.randomUUID needs a secure context, getRandomValues does not (plain-HTTP intranets). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The CSRF token lives in memory only: it comes with the login and /me answers.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The session's CSRF token, for requests sent without `apiRequest` (an upload through XMLHttpRequest). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

type AuthErrorListener = (error: ApiError) => void;
let authErrorListener: AuthErrorListener | null = null;

/** The app registers one listener for "signed out" (401) and "password change required" (403). */
export function setAuthErrorListener(listener: AuthErrorListener | null): void {
  authErrorListener = listener;
}

/** Hands an error of a request sent without `apiRequest` to the "signed out" listener when it is one. */
export function notifyAuthError(error: ApiError): void {
  if (isSessionEnded(error) || isPasswordChangeRequired(error)) authErrorListener?.(error);
}

// 401s that are answers about a password, not about the session.
const credentialCodes = new Set(['INVALID_CREDENTIALS', 'WRONG_PASSWORD', 'MFA_REQUIRED', 'MFA_INVALID']);

export function isSessionEnded(error: ApiError): boolean {
  return error.status === 401 && !credentialCodes.has(error.code);
}

export function isPasswordChangeRequired(error: ApiError): boolean {
  return error.status === 403 && error.code === 'PASSWORD_CHANGE_REQUIRED';
}

export function buildUrl(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  // Every POST carries a key, so that a retry after a lost answer is answered, not run again.
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) {
    // multipart/form-data: the browser sets the content type with its boundary.
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response | null = null;
  // TanStack Query does not retry mutations (query-client.ts): a POST whose answer was lost on the
  // network is sent once more here, with the same key, so it still runs at most once.
  for (let attempt = 0; response === null; attempt++) {
    try {
      response = await fetch(buildUrl(path, options.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      if (method === 'POST' && attempt === 0 && !(body instanceof FormData)) continue;
      throw new ApiError(0, clientErrorCodes.network, cause instanceof Error ? cause.message : String(cause));
    }
  }
  if (!response.ok) {
    const error = await readError(response);
    if (options.authRedirect !== false && (isSessionEnded(error) || isPasswordChangeRequired(error))) {
      authErrorListener?.(error);
    }
    throw error;
  }
  return response;
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const payload = (await response.json()) as Partial<ErrorBody>;
    if (payload.error && typeof payload.error.code === 'string') {
      return new ApiError(response.status, payload.error.code, payload.error.message, payload.error.details);
    }
  } catch {
    // not JSON: a proxy page or an empty body
  }
  return new ApiError(response.status, clientErrorCodes.unexpected, `${response.status} ${response.statusText}`);
}

/** Calls the API and returns its JSON answer (undefined for 204). */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => apiRequest<T>(path, { query, signal }),
  post: <T = void>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T = void>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: (path: string) => apiRequest<void>(path, { method: 'DELETE' }),
  /** POSTs multipart/form-data (a file upload). */
  upload: <T>(path: string, form: FormData) => apiRequest<T>(path, { method: 'POST', body: form }),
};

/** Downloads a file answer (for example the audit CSV) and hands it to the browser as a download. */
export async function downloadFile(path: string, query: QueryParams, fallbackName: string): Promise<void> {
  const response = await send(path, { query });
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Let the browser start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
