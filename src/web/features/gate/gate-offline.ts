import { decidePassage, type Direction, type GateDecision, type GateInput } from '../../../domain/access/gate-decision';
import type { GateSnapshot } from './gate-api';

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const shanghaiParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

/** The local (Asia/Shanghai) date, time and ISO weekday of an instant, as the gate rules take them. */
export function shanghaiLocal(at: Date): GateInput['local'] {
  const parts = Object.fromEntries(shanghaiParts.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: weekdays[parts.weekday ?? ''] ?? 1,
  };
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** An instant as the guard reads it: MM-DD HH:mm:ss in Beijing time. */
export function formatShanghai(iso: string): string {
  const parts = Object.fromEntries(timeFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** SHA-256 of a token's UTF-8 bytes in hex: how the snapshot names passes (passes.token_hash). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The snapshot's content when its Ed25519 signature verifies with the server's public key (raw 32
 * bytes, base64) and it is for this checkpoint; null otherwise, so a tampered or foreign list is
 * never used.
 */
export async function verifiedSnapshot(payload: string, signature: string, publicKey: string, checkpoint: string): Promise<GateSnapshot | null> {
  try {
    const key = await crypto.subtle.importKey('raw', bytes(publicKey), { name: 'Ed25519' }, false, ['verify']);
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, bytes(signature), new TextEncoder().encode(payload));
    if (!ok) return null;
    const snapshot = JSON.parse(payload) as GateSnapshot;
    return snapshot.version === 1 && snapshot.checkpoint === checkpoint ? snapshot : null;
  } catch {
    return null;
  }
}

/** What the device knows offline about one earlier decision, for the household quota. */
export interface LocalOuting {
  householdId: string | null;
  direction: Direction;
  decision: GateDecision['decision'];
  scannedAt: string;
}

export interface OfflineScan {
  token: string;
  direction: Direction;
  temperatureC: number | null;
  at: Date;
}

export interface OfflineAnswer extends GateDecision {
  person: { code: string; name: string; category: GateSnapshot['passes'][number]['category']; householdId: string | null } | null;
}

/**
 * Decides a scanned pass from the signed snapshot with the same rules as the server
 * (decidePassage). Household outings counted are the ones this device let out while offline
 * (`outings`, its queue): the server's count is not in the snapshot.
 */
export async function decideOffline(snapshot: GateSnapshot, scan: OfflineScan, outings: LocalOuting[]): Promise<OfflineAnswer> {
  const hash = await sha256Hex(scan.token);
  const entry = snapshot.passes.find((p) => p.tokenHash === hash) ?? null;
  const local = shanghaiLocal(scan.at);
  const quota = snapshot.site.householdQuota;
  const householdId = entry?.householdId ?? null;
  const since = quota ? scan.at.getTime() - quota.days * 86_400_000 : 0;
  const householdOutsInWindow =
    quota && householdId
      ? outings.filter((o) => o.householdId === householdId && o.direction === 'out' && o.decision === 'allow' && Date.parse(o.scannedAt) >= since).length
      : 0;
  const at = scan.at.getTime();
  const decision = decidePassage({
    direction: scan.direction,
    local,
    site: snapshot.site,
    openingHours: snapshot.openingHours,
    person: entry ? { category: entry.category, householdId } : null,
    pass: entry?.pass ?? null,
    blocked: entry ? snapshot.blocked.includes(entry.person) : false,
    healthStatus: entry && snapshot.healthRed.includes(entry.person) ? 'red' : null,
    temperatureC: scan.temperatureC,
    visitApproved: entry ? snapshot.visits.some((v) => v.person === entry.person && Date.parse(v.startsAt) <= at && at < Date.parse(v.endsAt)) : false,
    householdOutsInWindow,
  });
  return { ...decision, person: entry ? { code: entry.person, name: entry.name, category: entry.category, householdId } : null };
}
