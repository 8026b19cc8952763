import { systemContext, type Deps, type RequestContext } from '../context';
import { audit } from '../modules/audit/audit.service';
import { demoPassword } from '../modules/auth/auth.service';
import { findUnitByCode, insertUnit } from '../modules/units/units.repository';
import { todayInShanghai } from '../modules/units/units.service';
import { findUserByUsername } from '../modules/users/users.repository';
import { createUserRecord } from '../modules/users/users.service';
import { builtInRoles } from '../permissions';
import { seedDemoBenchmarking } from './demo-benchmarking';
import { seedDemoEvaluation } from './demo-evaluation';
import { demoAccounts, demoPeople, demoUnits } from './demo-company';
import { seedDemoWarnings } from './demo-warnings';
import { seedDemoResults } from './demo-results';
import { seedDemoProblems } from './demo-problems';
import { seedDemoEnergy } from './demo-energy';
import { seedDemoAccess } from './demo-access';
import { seedDemoHealth } from './demo-health';

/** Creates or refreshes the built-in roles, so a release's permission changes reach the database. */
export async function syncBuiltInRoles(deps: Deps): Promise<number> {
  const { db } = deps.database;
  return db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const role of builtInRoles) {
      const existing = await trx.selectFrom('roles').selectAll().where('code', '=', role.code).executeTakeFirst();
      const permissions = [...role.permissions].sort();
      const now = deps.clock.now();
      if (!existing) {
        await trx
          .insertInto('roles')
          .values({ code: role.code, name_zh: role.nameZh, name_en: role.nameEn, scope: role.scope, permissions, built_in: true, created_at: now, updated_at: now })
          .execute();
      } else if (
        existing.scope !== role.scope ||
        existing.name_zh !== role.nameZh ||
        existing.name_en !== role.nameEn ||
        JSON.stringify([...existing.permissions].sort()) !== JSON.stringify(permissions)
      ) {
        await trx
          .updateTable('roles')
          .set({ name_zh: role.nameZh, name_en: role.nameEn, scope: role.scope, permissions, built_in: true, updated_at: now, version: existing.version + 1 })
          .where('code', '=', role.code)
          .execute();
      } else continue;
      changed++;
      await audit(trx, deps, systemContext(), { action: existing ? 'role.update' : 'role.create', objectType: 'role', objectId: role.code, details: { builtIn: true, permissions, scope: role.scope } });
    }
    return changed;
  });
}

/** Loads the demo company and the demo accounts; running it again changes nothing. */
export async function seedDemo(deps: Deps, ctx: RequestContext = systemContext('seed demo')): Promise<{ units: number; users: number; indicators: number; measurements: number }> {
  if (deps.config.nodeEnv === 'production') throw new Error('The demo company is never loaded when NODE_ENV=production');
  const { db } = deps.database;
  await syncBuiltInRoles(deps);
  return db.transaction().execute(async (trx) => {
    let units = 0;
    let users = 0;
    const now = deps.clock.now();
    for (const u of demoUnits) {
      if (await findUnitByCode(trx, u.code)) continue;
      const parent = u.parent ? await findUnitByCode(trx, u.parent) : null;
      const row = await insertUnit(trx, {
        code: u.code,
        nameZh: u.zh,
        nameEn: u.en,
        kind: u.kind,
        parentId: parent?.id ?? null,
        peerClass: u.peerClass ?? '',
        validFrom: '2020-01-01',
        sortOrder: demoUnits.indexOf(u) * 10,
        now,
      });
      await audit(trx, deps, ctx, { action: 'unit.create', objectType: 'unit', objectId: row.id, changes: { code: { new: u.code }, name_zh: { new: u.zh }, kind: { new: u.kind }, ...(u.peerClass ? { peer_class: { new: u.peerClass } } : {}) } });
      units++;
    }
    for (const a of demoAccounts) {
      if (await findUserByUsername(trx, a.username)) continue;
      const unit = await findUnitByCode(trx, a.unit);
      await createUserRecord(trx, deps, ctx, {
        username: a.username,
        displayName: a.displayName,
        unitId: unit?.id ?? null,
        roleCodes: [a.role],
        password: demoPassword,
        mustChangePassword: false,
      });
      users++;
    }
    for (const p of demoPeople) {
      if (await trx.selectFrom('people').select('id').where('code', '=', p.code).executeTakeFirst()) continue;
      const unit = await findUnitByCode(trx, p.unit);
      const user = p.username ? await findUserByUsername(trx, p.username) : undefined;
      const row = await trx
        .insertInto('people')
        .values({ code: p.code, name: p.name, unit_id: unit?.id ?? null, user_id: user?.id ?? null, cadre: p.cadre, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, deps, ctx, { action: 'person.create', objectType: 'person', objectId: row.id, changes: { code: { new: p.code }, unit: { new: p.unit }, cadre: { new: p.cadre } } });
    }
    const value = JSON.stringify({ enabled: true, accounts: demoAccounts.map((a) => ({ username: a.username, role: a.role, unitCode: a.unit })), since: todayInShanghai(now) });
    await trx
      .insertInto('settings')
      .values({ key: 'demo', value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    if (units + users > 0) await audit(trx, deps, ctx, { action: 'system.seed_demo', details: { units, users } });
    const benchmarking = await seedDemoBenchmarking(trx, deps, ctx);
    await seedDemoEvaluation(trx, deps, ctx);
    await seedDemoWarnings(trx, deps, ctx);
    await seedDemoResults(trx, deps, ctx);
    await seedDemoProblems(trx, deps, ctx);
    // Generated meters and readings, as much as PACESETTER_DEMO_ENERGY asks (default full; none under NODE_ENV=test).
    await seedDemoEnergy(trx, deps, ctx, deps.config.demoEnergy);
    // Sites, people, passes and a week of gate traffic, as much as PACESETTER_DEMO_ACCESS asks (default full; none under NODE_ENV=test).
    await seedDemoAccess(trx, deps, ctx, deps.config.demoAccess);
    // The January–March 2020 health replay on those sites and people, as much as PACESETTER_DEMO_HEALTH asks
    // (default full; none under NODE_ENV=test); skipped while the access demo is not loaded.
    if (deps.config.demoHealth !== 'none') {
      const health = await seedDemoHealth(trx, deps, ctx, deps.config.demoHealth);
      if (health.skipped && health.skipped !== 'already loaded') deps.log.info({ reason: health.skipped }, 'demo health replay skipped');
    }
    return { units, users, indicators: benchmarking.indicators, measurements: benchmarking.measurements };
  });
}
