import type { Direction, DenyReason } from '../../../domain/access/gate-decision';
import { reasonMessage } from '../../../domain/access/reason-messages';
import type { ScanBody } from '../../../server/modules/gate/gate.schemas';
import { ApiError } from '../../app/api-client';
import { currentLocale } from '../../app/i18n';
import { gateApi, isUnreachable, type BatchEvent, type DeviceInfo, type GateSnapshot, type LookupRow } from './gate-api';
import { decideOffline, verifiedSnapshot } from './gate-offline';
import { dequeue, enqueue, queueLength, queuedScans, readLastSync, readSnapshot, writeLastSync, writeSnapshot } from './gate-store';

/** While online, the signed snapshot is fetched again and the queue synced this often. */
export const refreshInterval = 60_000;
/** The batch route takes up to 1 000 events; smaller requests keep each one quick on a weak network. */
export const syncChunk = 500;

const tokenKey = 'ps.gate.device';
const deviceKey = 'ps.gate.deviceInfo';

/** The device token this browser is bound with, if any. */
export function boundToken(): string | null {
  try {
    return window.localStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}

export function bindDevice(token: string): void {
  window.localStorage.setItem(tokenKey, token);
}

export function unbindDevice(): void {
  window.localStorage.removeItem(tokenKey);
  window.localStorage.removeItem(deviceKey);
}

/** A device token: `dev_` and at least 8 URL-safe characters (issued ones have 32; the demo's, such as dev_demo-SXLY-G1, fewer). */
const deviceTokenPattern = /^dev_[A-Za-z0-9_-]{8,}$/;

/** The device token in a pasted text or a scanned QR code: the token itself, or a link with ?device=. */
export function deviceTokenIn(text: string): string | null {
  const trimmed = text.trim();
  if (deviceTokenPattern.test(trimmed)) return trimmed;
  try {
    const fromUrl = new URL(trimmed).searchParams.get('device');
    return fromUrl && deviceTokenPattern.test(fromUrl) ? fromUrl : null;
  } catch {
    return null;
  }
}

function cachedDevice(token: string): DeviceInfo | null {
  try {
    const stored = JSON.parse(window.localStorage.getItem(deviceKey) ?? 'null') as { token: string; info: DeviceInfo } | null;
    return stored?.token === token ? stored.info : null;
  } catch {
    return null;
  }
}

/** A fresh idempotency key: a resend of the same scan (or the same queued event) is one event. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export type Credential =
  | { kind: 'token'; token: string }
  | { kind: 'person'; code: string; name: string; category: LookupRow['category'] }
  | { kind: 'idNumber'; idNumber: string };

export interface ScanRequest {
  credential: Credential;
  direction: Direction;
  temperatureC: number | null;
  plate: string | null;
  disinfected: boolean | null;
}

/** The answer shown at the gate, from the server or decided on the device. */
export interface GateOutcome {
  decision: 'allow' | 'deny';
  reason: DenyReason | null;
  message: string;
  person: { name: string; category: LookupRow['category'] } | null;
  offline: boolean;
  duplicate: boolean;
  at: string;
}

/** A scan the device cannot answer (offline without a snapshot, or a look-up offline). */
export class GateProblem extends Error {
  constructor(readonly code: 'noSnapshot' | 'offlineCredential') {
    super(code);
  }
}

export interface GateState {
  device: DeviceInfo | null;
  /** The server refused the token (unknown or revoked): the device must be bound again. */
  deviceInvalid: boolean;
  online: boolean;
  queueLength: number;
  lastSyncAt: string | null;
  /** When the snapshot in use was generated on the server. */
  snapshotAt: string | null;
  /** The last snapshot received did not verify and was thrown away. */
  snapshotRejected: boolean;
  syncing: boolean;
  syncError: string | null;
}

/**
 * The gate's engine, outside React: online scans, offline decisions from the signed snapshot, the
 * IndexedDB queue and its sync. The page subscribes to its state (useSyncExternalStore).
 */
export class GateController {
  private state: GateState;
  private readonly listeners = new Set<() => void>();
  private snapshot: GateSnapshot | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private reachable = true;

  constructor(private readonly token: string) {
    this.state = {
      device: cachedDevice(token),
      deviceInvalid: false,
      online: navigator.onLine,
      queueLength: 0,
      lastSyncAt: null,
      snapshotAt: null,
      snapshotRejected: false,
      syncing: false,
      syncError: null,
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): GateState => this.state;

  private set(patch: Partial<GateState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((listener) => listener());
  }

  private setReachable(reachable: boolean): void {
    this.reachable = reachable;
    const online = navigator.onLine && reachable;
    if (online !== this.state.online) this.set({ online });
  }

  /** Starts listening to the network and the minute timer; returns the stop function. */
  start(): () => void {
    const goneOnline = () => {
      this.reachable = true;
      this.set({ online: true });
      void this.refresh();
    };
    const goneOffline = () => this.set({ online: false });
    window.addEventListener('online', goneOnline);
    window.addEventListener('offline', goneOffline);
    const timer = window.setInterval(() => {
      if (navigator.onLine) void this.refresh();
    }, refreshInterval);
    void this.load()
      .catch(() => undefined)
      .then(() => this.refresh());
    return () => {
      window.removeEventListener('online', goneOnline);
      window.removeEventListener('offline', goneOffline);
      window.clearInterval(timer);
    };
  }

  /** What IndexedDB holds from before: the queue, the last sync, the snapshot (verified again). */
  private async load(): Promise<void> {
    const [length, lastSync, stored] = await Promise.all([queueLength(), readLastSync(), readSnapshot()]);
    this.set({ queueLength: length, lastSyncAt: lastSync ?? null });
    const device = this.state.device;
    if (stored && device && stored.deviceToken === this.token) {
      const snapshot = await verifiedSnapshot(stored.payload, stored.signature, device.publicKey, device.checkpoint.code);
      if (snapshot && !this.snapshot) {
        this.snapshot = snapshot;
        this.set({ snapshotAt: snapshot.generatedAt });
      }
    }
  }

  /**
   * Everything the minute timer does: the device, a fresh snapshot, then the queue. One run at a
   * time; a call during a run asks for one more run after it (the network may have come back).
   */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if (await this.refreshDevice()) {
            await this.refreshSnapshot();
            await this.sync();
          }
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async refreshDevice(): Promise<boolean> {
    try {
      const info = await gateApi.device(this.token);
      window.localStorage.setItem(deviceKey, JSON.stringify({ token: this.token, info }));
      this.setReachable(true);
      this.set({ device: info, deviceInvalid: false });
      return true;
    } catch (error) {
      if (isUnreachable(error)) this.setReachable(false);
      else if (error instanceof ApiError && error.status === 401) this.set({ deviceInvalid: true });
      return false;
    }
  }

  private async refreshSnapshot(): Promise<void> {
    const device = this.state.device;
    if (!device) return;
    try {
      const { payload, signature } = await gateApi.snapshot(this.token);
      const snapshot = await verifiedSnapshot(payload, signature, device.publicKey, device.checkpoint.code);
      if (!snapshot) {
        this.set({ snapshotRejected: true });
        return;
      }
      await writeSnapshot({ payload, signature, deviceToken: this.token, receivedAt: new Date().toISOString() });
      this.snapshot = snapshot;
      this.set({ snapshotAt: snapshot.generatedAt, snapshotRejected: false });
    } catch (error) {
      if (isUnreachable(error)) this.setReachable(false);
    }
  }

  /**
   * Sends the queue oldest first in chunks and removes only what the server acknowledged; a chunk
   * that fails stays queued whole and is sent again later (its idempotency keys make that harmless).
   */
  private async sync(): Promise<void> {
    const queued = await queuedScans();
    if (queued.length === 0) {
      await this.markSynced();
      return;
    }
    this.set({ syncing: true });
    try {
      for (let i = 0; i < queued.length; i += syncChunk) {
        const chunk = queued.slice(i, i + syncChunk).map((q) => q.event);
        const answer = await gateApi.batch(this.token, chunk);
        await dequeue(answer.results.map((r) => r.idempotencyKey));
        this.set({ queueLength: await queueLength() });
      }
      await this.markSynced();
    } catch (error) {
      if (isUnreachable(error)) this.setReachable(false);
      else this.set({ syncError: error instanceof Error ? error.message : String(error) });
    } finally {
      this.set({ syncing: false, queueLength: await queueLength() });
    }
  }

  private async markSynced(): Promise<void> {
    const at = new Date().toISOString();
    await writeLastSync(at);
    this.set({ lastSyncAt: at, syncError: null });
  }

  /** People of that exact name whose ID number or phone ends with `last4` (online only). */
  async lookup(name: string, last4: string): Promise<LookupRow[]> {
    if (!navigator.onLine) throw new GateProblem('offlineCredential');
    try {
      const { rows } = await gateApi.lookup(this.token, name, last4);
      this.setReachable(true);
      return rows;
    } catch (error) {
      if (isUnreachable(error)) {
        this.setReachable(false);
        throw new GateProblem('offlineCredential');
      }
      throw error;
    }
  }

  /** Checks one passage: asks the server, or decides on the device when the server cannot be reached. */
  async scan(request: ScanRequest): Promise<GateOutcome> {
    const device = this.state.device;
    if (!device) throw new GateProblem('noSnapshot');
    const { credential } = request;
    const body: ScanBody = {
      checkpoint: device.checkpoint.code,
      ...(credential.kind === 'token' ? { token: credential.token } : credential.kind === 'person' ? { person: credential.code } : { idNumber: credential.idNumber }),
      direction: request.direction,
      ...(request.temperatureC !== null ? { temperatureC: request.temperatureC } : {}),
      ...(request.plate ? { plate: request.plate } : {}),
      ...(request.disinfected !== null ? { disinfected: request.disinfected } : {}),
      idempotencyKey: newKey(),
    };
    if (navigator.onLine) {
      try {
        const answer = await gateApi.scan(this.token, body);
        this.setReachable(true);
        if (this.state.queueLength > 0) void this.refresh();
        return { decision: answer.decision, reason: answer.reason, message: answer.message, person: answer.person, offline: false, duplicate: answer.duplicate, at: answer.at };
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) this.set({ deviceInvalid: true });
        if (!isUnreachable(error)) throw error;
        this.setReachable(false);
      }
    }
    return this.decideHere(body, request, new Date());
  }

  private async decideHere(body: ScanBody, request: ScanRequest, at: Date): Promise<GateOutcome> {
    if (request.credential.kind !== 'token') throw new GateProblem('offlineCredential');
    const snapshot = this.snapshot;
    if (!snapshot) throw new GateProblem('noSnapshot');
    const queued = await queuedScans();
    const answer = await decideOffline(
      snapshot,
      { token: request.credential.token, direction: request.direction, temperatureC: request.temperatureC, at },
      queued.map((q) => ({ householdId: q.householdId, direction: q.event.direction, decision: q.event.decision, scannedAt: q.event.scannedAt })),
    );
    const event: BatchEvent = { ...body, scannedAt: at.toISOString(), decision: answer.decision, reason: answer.reason };
    await enqueue({ event, householdId: answer.person?.householdId ?? null });
    this.set({ queueLength: await queueLength() });
    return {
      decision: answer.decision,
      reason: answer.reason,
      message: reasonMessage(answer.reason, currentLocale(), snapshot.site.feverThresholdC),
      person: answer.person ? { name: answer.person.name, category: answer.person.category } : null,
      offline: true,
      duplicate: false,
      at: event.scannedAt,
    };
  }
}
