import type { BatchResult, DeviceInfo, LookupResult, OfflineEvent, ScanBody, ScanResult, SnapshotResponse } from '../../../server/modules/gate/gate.schemas';
import type { ErrorBody } from '../../../server/errors.schemas';
import { ApiError, clientErrorCodes } from '../../app/api-client';
import { currentLocale } from '../../app/i18n';

export type { DeviceInfo, GateSnapshot, ScanResult } from '../../../server/modules/gate/gate.schemas';
export type BatchEvent = OfflineEvent;
export type LookupRow = LookupResult['rows'][number];

/**
 * The gate routes, called with the device's bearer token (never through the app's session client:
 * a device needs no sign-in; a guard's cookie, when there is one, goes along and names the guard).
 * A network failure is an ApiError with status 0 and code NETWORK, so callers can go offline.
 */
async function call<T>(token: string, path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
    'accept-language': currentLocale(),
  };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (cause) {
    throw new ApiError(0, clientErrorCodes.network, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    let body: Partial<ErrorBody> = {};
    try {
      body = (await response.json()) as Partial<ErrorBody>;
    } catch {
      // not JSON: a proxy's error page
    }
    throw new ApiError(response.status, body.error?.code ?? clientErrorCodes.unexpected, body.error?.message ?? `${response.status} ${response.statusText}`, body.error?.details);
  }
  return (await response.json()) as T;
}

/** Whether an error means "the server could not be reached" (decide offline) rather than a refusal. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}

export const gateApi = {
  device: (token: string) => call<DeviceInfo>(token, '/api/gate/device'),
  scan: (token: string, body: ScanBody) => call<ScanResult>(token, '/api/gate/scans', { method: 'POST', body }),
  batch: (token: string, events: BatchEvent[]) => call<BatchResult>(token, '/api/gate/scans/batch', { method: 'POST', body: { events } }),
  lookup: (token: string, name: string, last4: string) =>
    call<LookupResult>(token, `/api/gate/lookup?${new URLSearchParams({ name, last4 }).toString()}`),
  snapshot: (token: string) => call<SnapshotResponse>(token, '/api/gate/snapshot'),
};
