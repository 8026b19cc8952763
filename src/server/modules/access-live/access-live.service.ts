import { sql } from 'kysely';
import { maskName, maskPlate } from '../../../domain/access/mask';
import { addDays, daysBetween, shanghaiDay, startOfShanghaiDay } from '../../../domain/notices/week';
import type { Actor, Db, Deps, Tx } from '../../context';
import { businessRule } from '../../errors';
import { scopeOf, siteInScope, sitesInScope } from './access-scope';
import { insideWindowHours, maxDenialDays } from './access-live.schemas';
import type { DenyReason } from '../../../domain/access/gate-decision';

const count = sql<number>`count(*)::int`;
const hourMs = 3_600_000;

/** Allowed passages of the sites in the window, each person's last one: the base of "inside". */
function lastPassages(trx: Db | Tx, siteIds: string[], since: Date, until: Date) {
  return trx
    .selectFrom('gate_events as ge')
    .distinctOn(['ge.site_id', 'ge.person_id'])
    .select(['ge.site_id', 'ge.person_id', 'ge.direction', 'ge.at', 'ge.checkpoint_id'])
    .where('ge.site_id', 'in', siteIds)
    .where('ge.decision', '=', 'allow')
    .where('ge.person_id', 'is not', null)
    .where('ge.at', '>', since)
    .where('ge.at', '<=', until)
    .orderBy('ge.site_id')
    .orderBy('ge.person_id')
    .orderBy('ge.at', 'desc')
    .orderBy('ge.recorded_at', 'desc');
}

const personOf = (code: string | null, name: string | null, category: string | null) => (code === null ? null : { code, name: maskName(name ?? ''), category: category ?? '' });

/**
 * Live views of the gates for the leadership (issue 6, part 6), aggregated in SQL over
 * gate_events by (site_id, at): occupancy, traffic by hour, denials, vehicles and the evacuation
 * roll-call. Only allowed passages count for occupancy; "inside" is whoever's last allowed
 * passage at the site in the last 24 hours was in (older entries without an exit are not guessed at).
 */
export function accessLiveService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  return {
    async live(actor: Actor) {
      return db.transaction().execute(async (trx) => {
        const sites = await sitesInScope(trx, await scopeOf(trx, actor));
        const now = clock.now();
        const date = shanghaiDay(now);
        if (sites.length === 0) return { at: now.toISOString(), date, sites: [] };
        const ids = sites.map((s) => s.id);
        const inside = await trx
          .selectFrom(lastPassages(trx, ids, new Date(now.getTime() - insideWindowHours * hourMs), now).as('last'))
          .select(['last.site_id', count.as('n')])
          .where('last.direction', '=', 'in')
          .groupBy('last.site_id')
          .execute();
        const today = await trx
          .selectFrom('gate_events')
          .select(['site_id', 'direction', 'decision', 'reason', count.as('n')])
          .where('site_id', 'in', ids)
          .where('at', '>=', startOfShanghaiDay(date))
          .where('at', '<', startOfShanghaiDay(addDays(date, 1)))
          .groupBy(['site_id', 'direction', 'decision', 'reason'])
          .execute();
        return {
          at: now.toISOString(),
          date,
          sites: sites.map((s) => {
            const mine = today.filter((t) => t.site_id === s.id);
            const sum = (pred: (t: (typeof mine)[number]) => boolean) => mine.filter(pred).reduce((a, t) => a + t.n, 0);
            const byReason: Record<string, number> = {};
            for (const t of mine) if (t.decision === 'deny' && t.reason) byReason[t.reason] = (byReason[t.reason] ?? 0) + t.n;
            return {
              site: s.code,
              nameZh: s.name_zh,
              nameEn: s.name_en,
              kind: s.kind,
              accessLevel: s.access_level,
              capacity: s.capacity,
              inside: inside.find((i) => i.site_id === s.id)?.n ?? 0,
              inToday: sum((t) => t.decision === 'allow' && t.direction === 'in'),
              outToday: sum((t) => t.decision === 'allow' && t.direction === 'out'),
              deniedToday: sum((t) => t.decision === 'deny'),
              byReason,
            };
          }),
        };
      });
    },

    async traffic(actor: Actor, q: { site: string; date?: string | undefined }) {
      return db.transaction().execute(async (trx) => {
        const site = await siteInScope(trx, await scopeOf(trx, actor), q.site);
        const date = q.date ?? shanghaiDay(clock.now());
        const start = startOfShanghaiDay(date);
        const checkpoints = await trx.selectFrom('checkpoints').select(['id', 'code', 'name_zh']).where('site_id', '=', site.id).orderBy('code').execute();
        const hour = sql<number>`floor((extract(epoch from at) - ${start.getTime() / 1000}) / 3600)::int`;
        const cells = await trx
          .selectFrom('gate_events')
          .select(['checkpoint_id', hour.as('hour'), 'direction', 'decision', count.as('n')])
          .where('site_id', '=', site.id)
          .where('at', '>=', start)
          .where('at', '<', startOfShanghaiDay(addDays(date, 1)))
          .groupBy(['checkpoint_id', sql`2`, 'direction', 'decision'])
          .execute();
        const rows = checkpoints.map((c) => ({ checkpoint: c.code, checkpointName: c.name_zh, in: Array<number>(24).fill(0), out: Array<number>(24).fill(0), denied: Array<number>(24).fill(0) }));
        for (const cell of cells) {
          const row = rows[checkpoints.findIndex((c) => c.id === cell.checkpoint_id)];
          if (!row || cell.hour < 0 || cell.hour > 23) continue;
          const series = cell.decision === 'deny' ? row.denied : cell.direction === 'in' ? row.in : row.out;
          series[cell.hour] = (series[cell.hour] ?? 0) + cell.n;
        }
        return { site: site.code, date, hours: Array.from({ length: 24 }, (_, i) => i), rows };
      });
    },

    async denials(actor: Actor, q: { site?: string | undefined; from?: string | undefined; to?: string | undefined }) {
      return db.transaction().execute(async (trx) => {
        const scope = await scopeOf(trx, actor);
        const today = shanghaiDay(clock.now());
        const to = q.to ?? q.from ?? today;
        const from = q.from ?? to;
        if (from > to) throw businessRule('RANGE_INVALID', 'from is after to', { field: 'from' });
        if (daysBetween(from, to) >= maxDenialDays) throw businessRule('RANGE_TOO_LONG', `At most ${maxDenialDays} days`, { field: 'to' });
        const sites = q.site ? [await siteInScope(trx, scope, q.site)] : await sitesInScope(trx, scope);
        if (sites.length === 0) return { from, to, total: 0, byReason: {}, rows: [] };
        const base = trx
          .selectFrom('gate_events as ge')
          .where('ge.site_id', 'in', sites.map((s) => s.id))
          .where('ge.decision', '=', 'deny')
          .where('ge.at', '>=', startOfShanghaiDay(from))
          .where('ge.at', '<', startOfShanghaiDay(addDays(to, 1)));
        const reasons = await base.select(['ge.reason', count.as('n')]).groupBy('ge.reason').execute();
        const rows = await base
          .innerJoin('checkpoints as c', 'c.id', 'ge.checkpoint_id')
          .innerJoin('sites as s', 's.id', 'ge.site_id')
          .leftJoin('people as p', 'p.id', 'ge.person_id')
          .select(['ge.id', 'ge.at', 's.code as site', 'c.code as checkpoint', 'c.name_zh as checkpoint_name', 'ge.direction', 'ge.reason', 'ge.temperature_c', 'p.code', 'p.name', 'p.category'])
          .orderBy('ge.at', 'desc')
          .orderBy('ge.id')
          .limit(1000)
          .execute();
        const byReason: Record<string, number> = {};
        for (const r of reasons) if (r.reason) byReason[r.reason] = r.n;
        const seesHealth = actor.permissions.has('health.read');
        return {
          from,
          to,
          total: reasons.reduce((a, r) => a + r.n, 0),
          byReason,
          rows: rows.map((r) => ({
            id: r.id,
            at: r.at.toISOString(),
            site: r.site,
            checkpoint: r.checkpoint,
            checkpointName: r.checkpoint_name,
            direction: r.direction as 'in' | 'out',
            reason: r.reason as DenyReason,
            person: personOf(r.code, r.name, r.category),
            // Purpose binding (PI-2): a temperature is health data, for health.read only.
            temperatureC: seesHealth && r.temperature_c !== null ? Number(r.temperature_c) : null,
          })),
        };
      });
    },

    async vehicles(actor: Actor, q: { site: string; date?: string | undefined }) {
      return db.transaction().execute(async (trx) => {
        const site = await siteInScope(trx, await scopeOf(trx, actor), q.site);
        const date = q.date ?? shanghaiDay(clock.now());
        const plain = actor.permissions.has('access.write');
        // Plates as the registry stores them: upper case, no spaces, dots or hyphens.
        const normalised = sql<string>`upper(regexp_replace(ge.plate, '[[:space:]·._-]', '', 'g'))`;
        const permitted = sql<boolean>`(vs.vehicle_id is not null and (vs.valid_to is null or vs.valid_to >= ${date}::date))`;
        const base = trx
          .selectFrom('gate_events as ge')
          .leftJoin('vehicles as v', (j) => j.on(sql<boolean>`v.plate = ${normalised}`))
          .leftJoin('vehicle_sites as vs', (j) => j.onRef('vs.vehicle_id', '=', 'v.id').onRef('vs.site_id', '=', 'ge.site_id'))
          .where('ge.site_id', '=', site.id)
          .where('ge.plate', 'is not', null)
          .where('ge.at', '>=', startOfShanghaiDay(date))
          .where('ge.at', '<', startOfShanghaiDay(addDays(date, 1)));
        const summary = await base
          .select([
            count.as('total'),
            sql<number>`(count(*) filter (where ge.direction = 'in'))::int`.as('in'),
            sql<number>`(count(*) filter (where ge.direction = 'out'))::int`.as('out'),
            sql<number>`(count(*) filter (where ge.disinfected))::int`.as('disinfected'),
            sql<number>`(count(*) filter (where not ${permitted}))::int`.as('notPermitted'),
          ])
          .executeTakeFirstOrThrow();
        const rows = await base
          .innerJoin('checkpoints as c', 'c.id', 'ge.checkpoint_id')
          .leftJoin('people as p', 'p.id', 'ge.person_id')
          .select(['ge.id', 'ge.at', 'c.code as checkpoint', 'ge.direction', 'ge.decision', 'ge.reason', normalised.as('plate'), 'ge.disinfected', permitted.as('permitted'), 'p.code', 'p.name', 'p.category'])
          .orderBy('ge.at', 'desc')
          .orderBy('ge.id')
          .limit(2000)
          .execute();
        return {
          site: site.code,
          date,
          summary,
          rows: rows.map((r) => ({
            id: r.id,
            at: r.at.toISOString(),
            checkpoint: r.checkpoint,
            direction: r.direction as 'in' | 'out',
            decision: r.decision as 'allow' | 'deny',
            reason: r.reason as DenyReason | null,
            plate: plain ? r.plate : maskPlate(r.plate),
            disinfected: r.disinfected,
            permitted: r.permitted,
            person: personOf(r.code, r.name, r.category),
          })),
        };
      });
    },

    /**
     * Who is inside a site now, for an evacuation roll-call. Names are plain for access writers
     * (the incident commander must read them aloud) and masked for readers.
     */
    async rollCall(actor: Actor, q: { site: string }) {
      return db.transaction().execute(async (trx) => {
        const site = await siteInScope(trx, await scopeOf(trx, actor), q.site);
        const now = clock.now();
        const plain = actor.permissions.has('access.write');
        const rows = await trx
          .selectFrom(lastPassages(trx, [site.id], new Date(now.getTime() - insideWindowHours * hourMs), now).as('last'))
          .innerJoin('people as p', 'p.id', 'last.person_id')
          .innerJoin('checkpoints as c', 'c.id', 'last.checkpoint_id')
          .leftJoin('units as u', 'u.id', 'p.unit_id')
          .select(['p.code', 'p.name', 'p.category', 'u.code as unit_code', 'u.name_zh as unit_name', 'last.at', 'c.code as checkpoint'])
          .where('last.direction', '=', 'in')
          .orderBy(sql`u.code nulls last`)
          .orderBy('p.name')
          .orderBy('p.code')
          .execute();
        return {
          site: site.code,
          nameZh: site.name_zh,
          at: now.toISOString(),
          capacity: site.capacity,
          count: rows.length,
          namesMasked: !plain,
          rows: rows.map((r) => ({
            person: r.code,
            name: plain ? r.name : maskName(r.name),
            category: r.category,
            unit: r.unit_code === null ? null : { code: r.unit_code, name: r.unit_name ?? '' },
            since: r.at.toISOString(),
            checkpoint: r.checkpoint,
          })),
        };
      });
    },
  };
}
export type AccessLiveService = ReturnType<typeof accessLiveService>;
