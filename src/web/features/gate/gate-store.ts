import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BatchEvent } from './gate-api';

/** A scan decided on the device while offline, waiting to be sent with POST /api/gate/scans/batch. */
export interface QueuedScan {
  /** Exactly what the batch route takes; its idempotency key is the queue's key. */
  event: BatchEvent;
  /** For the household quota of later offline decisions (the event itself carries no household). */
  householdId: string | null;
}

/** The last snapshot whose signature verified, as the server sent it (verified again when read). */
export interface StoredSnapshot {
  payload: string;
  signature: string;
  /** The device token it was fetched with: another binding must not use it. */
  deviceToken: string;
  receivedAt: string;
}

interface GateDb extends DBSchema {
  queue: { key: string; value: QueuedScan };
  /** 'snapshot' → StoredSnapshot, 'lastSync' → ISO instant of the last complete sync. */
  kv: { key: 'snapshot' | 'lastSync'; value: StoredSnapshot | string };
}

let opened: Promise<IDBPDatabase<GateDb>> | null = null;

function db(): Promise<IDBPDatabase<GateDb>> {
  opened ??= openDB<GateDb>('ps-gate', 1, {
    upgrade(database) {
      database.createObjectStore('queue', { keyPath: 'event.idempotencyKey' });
      database.createObjectStore('kv');
    },
  });
  return opened;
}

/** Queues an offline event; a second put with the same idempotency key replaces it (never two). */
export async function enqueue(scan: QueuedScan): Promise<void> {
  await (await db()).put('queue', scan);
}

/** The queued events, oldest scan first. */
export async function queuedScans(): Promise<QueuedScan[]> {
  const all = await (await db()).getAll('queue');
  return all.sort((a, b) => (a.event.scannedAt ?? '').localeCompare(b.event.scannedAt ?? ''));
}

export async function queueLength(): Promise<number> {
  return (await db()).count('queue');
}

/** Removes the events the server acknowledged, in one transaction. */
export async function dequeue(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const tx = (await db()).transaction('queue', 'readwrite');
  await Promise.all([...keys.map((key) => tx.store.delete(key)), tx.done]);
}

export async function readSnapshot(): Promise<StoredSnapshot | undefined> {
  const value = await (await db()).get('kv', 'snapshot');
  return typeof value === 'object' ? value : undefined;
}

export async function writeSnapshot(snapshot: StoredSnapshot): Promise<void> {
  await (await db()).put('kv', snapshot, 'snapshot');
}

export async function readLastSync(): Promise<string | undefined> {
  const value = await (await db()).get('kv', 'lastSync');
  return typeof value === 'string' ? value : undefined;
}

export async function writeLastSync(at: string): Promise<void> {
  await (await db()).put('kv', at, 'lastSync');
}
