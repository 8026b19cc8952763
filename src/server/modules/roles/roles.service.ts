import type { Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { dutiesOf, permissionCodes, permissions } from '../../permissions';
import { audit, diffChanges } from '../audit/audit.service';
import type { Role } from './roles.schemas';

type RoleRow = { code: string; name_zh: string; name_en: string; scope: string; permissions: string[]; built_in: boolean; version: number };

const toRole = (r: RoleRow): Role => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  scope: r.scope as Role['scope'],
  permissions: [...r.permissions].sort(),
  builtIn: r.built_in,
  version: r.version,
});

function checkPermissions(list: string[]): string[] {
  const unknown = list.filter((p) => !(permissionCodes as string[]).includes(p));
  if (unknown.length > 0) throw businessRule('PERMISSION_NOT_FOUND', `Unknown permissions: ${unknown.join(', ')}`, { permissions: unknown });
  // Audit permissions stay with the audit administrator alone, and no role mixes duties (三员分立).
  if (list.some((p) => p.startsWith('audit.'))) throw businessRule('SEPARATION_OF_DUTIES', 'Audit permissions belong to the audit administrator role only');
  const duties = dutiesOf(list);
  if (duties.length > 1) throw businessRule('SEPARATION_OF_DUTIES', 'One role cannot combine system, security and audit duties', { duties });
  return [...new Set(list)].sort();
}

/** Changing a role's permissions must not give any of its holders two administrative duties. */
async function checkHolders(trx: Tx, code: string, next: string[]): Promise<void> {
  const rows = await trx
    .selectFrom('user_roles as mine')
    .innerJoin('user_roles as theirs', 'theirs.user_id', 'mine.user_id')
    .innerJoin('roles', 'roles.code', 'theirs.role_code')
    .select(['mine.user_id', 'roles.code', 'roles.permissions'])
    .where('mine.role_code', '=', code)
    .execute();
  const byUser = new Map<string, string[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), ...(r.code === code ? next : r.permissions)]);
  const clashes = [...byUser.entries()].filter(([, perms]) => dutiesOf(perms).length > 1).map(([id]) => id);
  if (clashes.length > 0) throw businessRule('SEPARATION_OF_DUTIES', 'Holders of this role would hold two administrative duties', { users: clashes });
}

export function roleService(deps: Deps) {
  const { db } = deps.database;
  const columns = ['code', 'name_zh', 'name_en', 'scope', 'permissions', 'built_in', 'version'] as const;
  return {
    async list(): Promise<Role[]> {
      return (await db.selectFrom('roles').select(columns).orderBy('built_in', 'desc').orderBy('code').execute()).map(toRole);
    },

    permissions() {
      return permissionCodes.map((code) => ({ code, nameZh: permissions[code][0], nameEn: permissions[code][1] }));
    },

    async create(ctx: RequestContext, body: { code: string; nameZh: string; nameEn: string; scope: Role['scope']; permissions: string[] }): Promise<Role> {
      const perms = checkPermissions(body.permissions);
      return db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('roles').select('code').where('code', '=', body.code).executeTakeFirst()) throw conflict('ROLE_CODE_TAKEN', `The role ${body.code} exists`);
        const now = deps.clock.now();
        const row = await trx
          .insertInto('roles')
          .values({ code: body.code, name_zh: body.nameZh, name_en: body.nameEn, scope: body.scope, permissions: perms, built_in: false, created_at: now, updated_at: now })
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'role.create', objectType: 'role', objectId: body.code, changes: diffChanges(null, { name_zh: body.nameZh, name_en: body.nameEn, scope: body.scope, permissions: perms }) });
        return toRole(row);
      });
    },

    async update(ctx: RequestContext, code: string, body: { version: number; nameZh?: string; nameEn?: string; scope?: Role['scope']; permissions?: string[] }): Promise<Role> {
      return db.transaction().execute(async (trx) => {
        const role = await trx.selectFrom('roles').select(columns).where('code', '=', code).executeTakeFirst();
        if (!role) throw notFound('ROLE_NOT_FOUND', 'No such role');
        if (role.built_in) throw businessRule('ROLE_BUILT_IN', 'Built-in roles cannot be changed; create a custom role instead');
        if (role.version !== body.version) throw staleVersion();
        const patch: Partial<RoleRow> = {};
        if (body.nameZh !== undefined) patch.name_zh = body.nameZh;
        if (body.nameEn !== undefined) patch.name_en = body.nameEn;
        if (body.scope !== undefined) patch.scope = body.scope;
        if (body.permissions !== undefined) {
          patch.permissions = checkPermissions(body.permissions);
          await checkHolders(trx, code, patch.permissions);
        }
        const row = await trx
          .updateTable('roles')
          .set({ ...patch, updated_at: deps.clock.now(), version: role.version + 1 })
          .where('code', '=', code)
          .where('version', '=', body.version)
          .returning(columns)
          .executeTakeFirst();
        if (!row) throw staleVersion();
        await audit(trx, deps, ctx, { action: 'role.update', objectType: 'role', objectId: code, changes: diffChanges(role, patch) });
        return toRole(row);
      });
    },
  };
}
export type RoleService = ReturnType<typeof roleService>;
