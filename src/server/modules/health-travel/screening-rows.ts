/**
 * Returning-staff screenings as the reviewers see them: the person (name masked, unit, site), the
 * return day, and each stay of the itinerary with the risk areas it falls in and the reviewer's
 * check. Shared by the list and every change's answer.
 */
import type { ExpressionBuilder } from 'kysely';
import { maskName } from '../../../domain/access/mask';
import { shanghaiDay } from '../../../domain/notices/week';
import type { Db, Tx } from '../../context';
import type { DB } from '../../db/schema';
import type { Scope } from '../access-live/access-scope';
import { loadRiskAreas, riskMatchesOf } from './risk-match';
import type { ScreeningStatus, ScreeningView } from './screenings.schemas';
import type { Transport } from './travel.schemas';

export const screeningRows = (trx: Db | Tx) =>
  trx
    .selectFrom('return_screenings as r')
    .innerJoin('health_incidents as i', 'i.id', 'r.incident_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .leftJoin('sites as s', 's.id', 'p.site_id')
    .leftJoin('users as ru', 'ru.id', 'r.reviewer_id')
    .select([
      'r.id', 'r.incident_id', 'r.person_id', 'r.return_date', 'r.status', 'r.items', 'r.note', 'r.decided_at', 'r.version',
      'i.travel_lookback_days', 'i.status as incident_status',
      'p.code as person_code', 'p.name as person_name', 'p.unit_id', 'p.site_id',
      'u.code as unit_code', 'u.name_zh as unit_name_zh',
      's.code as site_code', 's.name_zh as site_name_zh', 's.unit_id as site_unit_id',
      'ru.username as reviewer',
    ]);
export type ScreeningRow = Awaited<ReturnType<ReturnType<typeof screeningRows>['executeTakeFirstOrThrow']>>;

type From = DB & { r: DB['return_screenings']; p: DB['people']; s: DB['sites'] };

/** The people a scope reaches: by their unit, or without a unit by their site's unit. */
export function inPersonScope(scope: Scope) {
  return (eb: ExpressionBuilder<From, 'r' | 'p' | 's'>) => {
    if (scope === null) return eb.val(true);
    const units = [...scope];
    if (units.length === 0) return eb.val(false);
    return eb.or([eb('p.unit_id', 'in', units), eb.and([eb('p.unit_id', 'is', null), eb('s.unit_id', 'in', units)])]);
  };
}

/** The rows as views, their stays loaded in one query and matched against today's risk areas. */
export async function toScreeningViews(trx: Db | Tx, rows: ScreeningRow[], now: Date): Promise<ScreeningView[]> {
  const ids = [...new Set(rows.flatMap((r) => r.items.map((i) => i.travelRecordId)))];
  const stays = new Map<string, { region: string; from_date: string; to_date: string; transport: string; transport_no: string | null }>();
  for (let i = 0; i < ids.length; i += 1000) {
    const part = await trx.selectFrom('travel_records').select(['id', 'region', 'from_date', 'to_date', 'transport', 'transport_no']).where('id', 'in', ids.slice(i, i + 1000)).execute();
    for (const s of part) stays.set(s.id, s);
  }
  const areas = ids.length > 0 ? await loadRiskAreas(trx) : [];
  const today = shanghaiDay(now);
  return rows.map((r) => ({
    id: r.id,
    person: {
      code: r.person_code,
      name: maskName(r.person_name),
      unit: r.unit_code === null ? null : { code: r.unit_code, nameZh: r.unit_name_zh ?? '' },
      site: r.site_code === null ? null : { code: r.site_code, nameZh: r.site_name_zh ?? '' },
    },
    returnDate: r.return_date,
    status: r.status as ScreeningStatus,
    items: r.items.flatMap((item) => {
      const s = stays.get(item.travelRecordId);
      if (!s) return [];
      return [{
        travelRecordId: item.travelRecordId,
        region: s.region,
        fromDate: s.from_date,
        toDate: s.to_date,
        transport: s.transport as Transport,
        transportNo: s.transport_no,
        riskMatches: riskMatchesOf({ region: s.region, fromDate: s.from_date, toDate: s.to_date }, areas, today, r.travel_lookback_days),
        checked: item.checked,
        note: item.note,
      }];
    }),
    reviewer: r.reviewer,
    decidedAt: r.decided_at?.toISOString() ?? null,
    note: r.note,
    version: r.version,
  }));
}
