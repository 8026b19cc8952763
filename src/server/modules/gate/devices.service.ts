import { createHash, randomBytes } from 'node:crypto';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, Device, RequestContext, Tx } from '../../context';
import { conflict, notFound } from '../../errors';
import { invalidate, onInvalidate } from '../../cache-bus';
import { audit } from '../audit/audit.service';
import type { CreatedDevice, DeviceRow } from './gate.schemas';

/**
 * Gate devices (a guard's phone, a gate terminal): each bound to one checkpoint by a bearer token
 * that is shown once and stored as its SHA-256. The guard resolves the token on every gate call.
 */

export const newDeviceToken = (): string => `dev_${randomBytes(24).toString('base64url')}`;
export const deviceTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** last_seen_at is written at most this often per device. */
const lastSeenEveryMs = 60_000;

const deviceRows = (trx: Db | Tx) =>
  trx
    .selectFrom('devices as d')
    .innerJoin('checkpoints as c', 'c.id', 'd.checkpoint_id')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .select(['d.id', 'd.name', 'c.code as checkpoint', 's.unit_id', 'd.created_at', 'd.last_seen_at', 'd.revoked_at']);
type Row = Awaited<ReturnType<ReturnType<typeof deviceRows>['executeTakeFirstOrThrow']>>;

const toDevice = (r: Row): DeviceRow => ({
  id: r.id,
  name: r.name,
  checkpoint: r.checkpoint,
  createdAt: r.created_at.toISOString(),
  lastSeenAt: r.last_seen_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

const checkpointNotFound = (code: string) => notFound('CHECKPOINT_NOT_FOUND', `No checkpoint ${code}`);
const deviceNotFound = () => notFound('DEVICE_NOT_FOUND', 'No such device');

/** Creates a device on a checkpoint (in the caller's transaction, audited without the token). */
export async function createDeviceRecord(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, checkpointId: string, checkpointCode: string, name: string): Promise<CreatedDevice> {
  const token = newDeviceToken();
  const row = await trx
    .insertInto('devices')
    .values({ checkpoint_id: checkpointId, name, token_hash: deviceTokenHash(token), created_by: ctx.actor?.userId ?? null, created_at: deps.clock.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, deps, ctx, { action: 'device.create', objectType: 'device', objectId: row.id, details: { checkpoint: checkpointCode, name } });
  return { id: row.id, name, checkpoint: checkpointCode, token };
}

/** Revokes a device (in the caller's transaction, audited); 409 when it already is. */
export async function revokeDeviceRecord(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, id: string): Promise<DeviceRow> {
  const before = await deviceRows(trx).where('d.id', '=', id).executeTakeFirst();
  if (!before) throw deviceNotFound();
  if (before.revoked_at) throw conflict('DEVICE_ALREADY_REVOKED', 'This device was revoked already');
  await trx.updateTable('devices').set({ revoked_at: deps.clock.now(), revoked_by: ctx.actor?.userId ?? null }).where('id', '=', id).execute();
  await invalidate(trx, 'device', id);
  await audit(trx, deps, ctx, { action: 'device.revoke', objectType: 'device', objectId: id, details: { checkpoint: before.checkpoint, name: before.name } });
  return toDevice(await deviceRows(trx).where('d.id', '=', id).executeTakeFirstOrThrow());
}

/** The devices of a checkpoint, newest first. */
export async function listDeviceRecords(trx: Db | Tx, checkpointId: string): Promise<DeviceRow[]> {
  return (await deviceRows(trx).where('d.checkpoint_id', '=', checkpointId).orderBy('d.created_at', 'desc').orderBy('d.id').execute()).map(toDevice);
}

export function deviceService(deps: Deps) {
  const { db } = deps.database;
  const resolved = new Map<string, { device: Promise<Device | null>; until: number }>();
  const lastSeen = new Map<string, number>();

  /** Forgets the cached token of device `id` ('*' = of every device), and unknown ones. */
  async function forget(id: string): Promise<void> {
    for (const [hash, entry] of resolved) {
      const d = await entry.device.catch(() => null);
      if (!d || id === '*' || d.id === id) resolved.delete(hash);
    }
  }

  async function visibleCheckpoint(trx: Db | Tx, actor: Actor, code: string): Promise<{ id: string; code: string }> {
    const c = await trx.selectFrom('checkpoints as c').innerJoin('sites as s', 's.id', 'c.site_id').select(['c.id', 'c.code', 's.unit_id']).where('c.code', '=', code).executeTakeFirst();
    if (!c || !inScope(await visibleUnitIds(trx, actor), c.unit_id)) throw checkpointNotFound(code);
    return c;
  }

  return {
    /**
     * The device behind a bearer token, or null (unknown or revoked). Cached for
     * GATE_DEVICE_CACHE_SECONDS (a revocation on any server drops it at once: cache-bus.ts);
     * last_seen_at is refreshed at most once a minute per device.
     */
    async resolve(token: string): Promise<Device | null> {
      if (!token.startsWith('dev_') || token.length > 200) return null;
      const hash = deviceTokenHash(token);
      const now = performance.now();
      let entry = resolved.get(hash);
      if (!entry || entry.until < now) {
        // One read for all the concurrent requests of a device; an unknown or revoked token is not kept.
        const device = db
          .selectFrom('devices')
          .select(['id', 'checkpoint_id'])
          .where('token_hash', '=', hash)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
          .then((row) => (row ? { id: row.id, checkpointId: row.checkpoint_id } : null));
        entry = { device, until: now + deps.config.gateDeviceCacheMs };
        resolved.set(hash, entry);
        device.then((d) => d ?? resolved.delete(hash), () => resolved.delete(hash)).catch(() => {});
      }
      const device = await entry.device;
      if (!device) return null;
      const at = deps.clock.now();
      const seen = lastSeen.get(device.id);
      if (seen === undefined || at.getTime() - seen >= lastSeenEveryMs || at.getTime() < seen) {
        lastSeen.set(device.id, at.getTime());
        await db.updateTable('devices').set({ last_seen_at: at }).where('id', '=', device.id).execute();
      }
      return device;
    },

    async create(ctx: RequestContext, actor: Actor, checkpointCode: string, name: string): Promise<CreatedDevice> {
      return db.transaction().execute(async (trx) => {
        const c = await visibleCheckpoint(trx, actor, checkpointCode);
        return createDeviceRecord(trx, deps, ctx, c.id, c.code, name);
      });
    },

    async list(actor: Actor, checkpointCode: string): Promise<{ rows: DeviceRow[] }> {
      const c = await visibleCheckpoint(db, actor, checkpointCode);
      return { rows: await listDeviceRecords(db, c.id) };
    },

    async revoke(ctx: RequestContext, actor: Actor, id: string): Promise<DeviceRow> {
      const row = await db.transaction().execute(async (trx) => {
        const d = await deviceRows(trx).where('d.id', '=', id).executeTakeFirst();
        if (!d || !inScope(await visibleUnitIds(trx, actor), d.unit_id)) throw deviceNotFound();
        return revokeDeviceRecord(trx, deps, ctx, id);
      });
      // The token stops working now on this server; the others hear it through the cache bus.
      await forget(id);
      return row;
    },

    /** Drops cached tokens of devices revoked on any server; resolves to a function that stops. */
    followInvalidations(): Promise<() => Promise<void>> {
      return onInvalidate(deps.database, 'device', (id) => void forget(id));
    },
  };
}

export type DeviceService = ReturnType<typeof deviceService>;
