import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { conflict, notFound, staleVersion } from '../../errors';
import { audit, diffChanges } from '../audit/audit.service';
import { invalidate } from '../../cache-bus';
import { checkpointRows, toCheckpoint, type CheckpointRow } from './sites.repository';
import type { Checkpoint, CreateCheckpointBody, PatchCheckpointBody } from './sites.schemas';
import { visibleSite } from './sites.service';

/** What the audit log records of a checkpoint. */
const auditable = (c: Pick<Checkpoint, 'nameZh' | 'nameEn' | 'site' | 'openingHours' | 'vehicles'>) => ({ nameZh: c.nameZh, nameEn: c.nameEn, site: c.site, openingHours: c.openingHours, vehicles: c.vehicles });

/** Checkpoints (卡口) of the sites in the actor's scope, with their opening hours. */
export function checkpointService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  async function visible(trx: Db | Tx, actor: Actor, code: string): Promise<CheckpointRow> {
    const r = await checkpointRows(trx).where('c.code', '=', code).executeTakeFirst();
    if (!r || !inScope(await visibleUnitIds(trx, actor), r.unit_id)) throw notFound('CHECKPOINT_NOT_FOUND', `No checkpoint ${code}`);
    return r;
  }
  const read = async (trx: Db | Tx, id: string) => toCheckpoint(await checkpointRows(trx).where('c.id', '=', id).executeTakeFirstOrThrow());

  return {
    async list(actor: Actor, q: { site?: string | undefined }): Promise<{ rows: Checkpoint[] }> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        let query = checkpointRows(trx);
        if (q.site) query = query.where('c.site_id', '=', (await visibleSite(trx, actor, q.site, scope)).id);
        const rows = await query.orderBy('s.code').orderBy('c.code').execute();
        return { rows: rows.filter((r) => inScope(scope, r.unit_id)).map(toCheckpoint) };
      });
    },

    async get(actor: Actor, code: string): Promise<Checkpoint> {
      return db.transaction().execute(async (trx) => toCheckpoint(await visible(trx, actor, code)));
    },

    async create(ctx: RequestContext, actor: Actor, body: CreateCheckpointBody): Promise<Checkpoint> {
      return db.transaction().execute(async (trx) => {
        const site = await visibleSite(trx, actor, body.site);
        if (await trx.selectFrom('checkpoints').select('id').where('code', '=', body.code).executeTakeFirst()) throw conflict('CHECKPOINT_EXISTS', `A checkpoint ${body.code} already exists`);
        const now = clock.now();
        const row = await trx
          .insertInto('checkpoints')
          .values({
            code: body.code, name_zh: body.nameZh, name_en: body.nameEn, site_id: site.id, opening_hours: body.openingHours === null ? null : JSON.stringify(body.openingHours), vehicles: body.vehicles,
            created_at: now, updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'checkpoint.create', objectType: 'checkpoint', objectId: body.code, changes: diffChanges(null, auditable(body)) });
        return read(trx, row.id);
      });
    },

    async update(ctx: RequestContext, actor: Actor, code: string, body: PatchCheckpointBody): Promise<Checkpoint> {
      return db.transaction().execute(async (trx) => {
        const row = await visible(trx, actor, code);
        if (row.version !== body.version) throw staleVersion();
        const before = toCheckpoint(row);
        const site = body.site === undefined || body.site === before.site ? null : await visibleSite(trx, actor, body.site);
        const after = {
          nameZh: body.nameZh ?? before.nameZh,
          nameEn: body.nameEn === undefined ? before.nameEn : body.nameEn,
          site: body.site ?? before.site,
          openingHours: body.openingHours === undefined ? before.openingHours : body.openingHours,
          vehicles: body.vehicles ?? before.vehicles,
        };
        const changes = diffChanges(auditable(before), after);
        if (!changes) return before;
        const r = await trx
          .updateTable('checkpoints')
          .set({
            name_zh: after.nameZh, name_en: after.nameEn, opening_hours: after.openingHours === null ? null : JSON.stringify(after.openingHours), vehicles: after.vehicles,
            ...(site ? { site_id: site.id } : {}),
            updated_at: clock.now(), version: row.version + 1,
          })
          .where('id', '=', row.id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        await invalidate(trx, 'gate-points');
        await audit(trx, deps, ctx, { action: 'checkpoint.update', objectType: 'checkpoint', objectId: code, changes });
        return read(trx, row.id);
      });
    },
  };
}
export type CheckpointService = ReturnType<typeof checkpointService>;
