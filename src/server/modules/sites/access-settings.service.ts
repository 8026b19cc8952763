import type { IdMaskStyle } from '../../../domain/access/mask';
import type { Db, Deps, RequestContext, Tx } from '../../context';
import { audit } from '../audit/audit.service';
import type { AccessSettings } from './sites.schemas';

/** The settings key of the ID mask style; its value is `{ "style": "1+2" | "6+4" }`. */
export const idMaskKey = 'access.idMask';

/** How ID numbers are masked: the stored style, else first 1 + last 2 characters. */
export async function readIdMaskStyle(db: Db | Tx): Promise<IdMaskStyle> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', idMaskKey).executeTakeFirst();
  return row?.value.style === '6+4' ? '6+4' : '1+2';
}

/** Settings of access control (GET/PUT /api/access/settings). */
export function accessSettingsService(deps: Deps) {
  const { db } = deps.database;
  return {
    async get(): Promise<AccessSettings> {
      return { idMask: await readIdMaskStyle(db) };
    },

    async put(ctx: RequestContext, body: AccessSettings): Promise<AccessSettings> {
      return db.transaction().execute(async (trx) => {
        const old = await readIdMaskStyle(trx);
        if (old === body.idMask) return { idMask: old };
        const now = deps.clock.now();
        const value = JSON.stringify({ style: body.idMask });
        await trx
          .insertInto('settings')
          .values({ key: idMaskKey, value, updated_at: now })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
          .execute();
        await audit(trx, deps, ctx, { action: 'access.settings', objectType: 'setting', objectId: idMaskKey, changes: { idMask: { old, new: body.idMask } } });
        return { idMask: body.idMask };
      });
    },
  };
}
export type AccessSettingsService = ReturnType<typeof accessSettingsService>;
