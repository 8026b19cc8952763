/**
 * A person's health status (健康状态), recomputed from the facts the system holds whenever one of
 * them changes: a declaration, a gate temperature, travel, an exposure, a quarantine, a case's
 * classification, a contest's decision. The rules are data (health_rules, src/domain/health/
 * status-rules.ts); the stored status keeps the deciding rule and the facts, so every status can be
 * explained. The gate reads health_statuses (a red status is refused).
 */
import { sql } from 'kysely';
import { followUpWindow } from '../../../domain/health/follow-up';
import { matchRiskAreas, riskFacts } from '../../../domain/health/risk-areas';
import { evaluateStatus, isFever } from '../../../domain/health/status-rules';
import type { HealthColour, HealthFacts, StatusResult, StatusRule } from '../../../domain/health/types';
import { shanghaiDay } from '../../../domain/notices/week';
import type { Db, Deps, Tx } from '../../context';
import { activeIncident, type Incident } from '../health-incidents/incident';

const severity: Record<HealthColour, number> = { green: 0, yellow: 1, red: 2 };
const defaultFeverC = 37.3;

/** The enabled status rules, in the domain's shape. */
export async function statusRules(trx: Db | Tx): Promise<StatusRule[]> {
  const rows = await trx.selectFrom('health_rules').selectAll().orderBy('priority').orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, status: r.status as HealthColour, priority: r.priority, when: r.condition, enabled: r.enabled }));
}

/** The facts about one person on one day (Asia/Shanghai), under the incident's settings. */
export async function healthFacts(trx: Db | Tx, personId: string, today: string, incident: Incident | null): Promise<HealthFacts> {
  const [declaration, gate, travel, areas, exposure, quarantine, cases] = await Promise.all([
    trx.selectFrom('health_declarations').select(['temperature_c', 'symptoms', 'updated_at']).where('person_id', '=', personId).where('date', '=', today).executeTakeFirst(),
    sql<{ temperature_c: string; at: Date }>`SELECT temperature_c, at FROM gate_events
      WHERE person_id = ${personId} AND temperature_c IS NOT NULL AND (at AT TIME ZONE 'Asia/Shanghai')::date = ${today}::date
      ORDER BY at DESC LIMIT 1`.execute(trx),
    trx.selectFrom('travel_records').select(['region', 'from_date', 'to_date']).where('person_id', '=', personId).execute(),
    trx.selectFrom('risk_areas').select(['region', 'level', 'valid_from', 'valid_to']).execute(),
    trx.selectFrom('exposures').select((eb) => eb.fn.max('date').as('last')).where('contact_person_id', '=', personId).where('active', '=', true).where('close', '=', true).executeTakeFirst(),
    trx.selectFrom('quarantines').select('id').where('person_id', '=', personId).where('status', '=', 'active').executeTakeFirst(),
    trx.selectFrom('abnormal_cases').select('classification').where('person_id', '=', personId).where('status', '=', 'open').execute(),
  ]);
  const gateReading = gate.rows[0];
  const declared = declaration?.temperature_c == null ? null : { t: Number(declaration.temperature_c), at: declaration.updated_at };
  const gateT = gateReading ? { t: Number(gateReading.temperature_c), at: gateReading.at } : null;
  const latest = declared && gateT ? (gateT.at > declared.at ? gateT : declared) : (declared ?? gateT);
  const temperatureC = latest?.t ?? null;
  const days = incident?.followUpDays ?? 14;
  const last = exposure?.last ?? null;
  const closeContact = last !== null && followUpWindow(String(last), { days, perDay: 1 }).end >= today;
  const matches = matchRiskAreas(
    travel.map((t) => ({ region: t.region, fromDate: t.from_date, toDate: t.to_date })),
    areas.map((a) => ({ region: a.region, level: a.level as 'high' | 'medium' | 'low', validFrom: a.valid_from, validTo: a.valid_to })),
    today,
    incident?.travelLookbackDays ?? 15,
  );
  return {
    temperatureC,
    fever: isFever(temperatureC, incident?.feverThresholdC ?? defaultFeverC),
    symptoms: declaration?.symptoms ?? [],
    ...riskFacts(matches),
    closeContact,
    inQuarantine: quarantine !== undefined,
    suspectedCase: cases.some((c) => c.classification === 'suspected'),
    confirmedCase: cases.some((c) => c.classification === 'confirmed'),
    declaredToday: declaration !== undefined,
  };
}

export interface RefreshedStatus {
  status: HealthColour;
  rule: string;
  facts: HealthFacts;
  result: StatusResult;
  changed: boolean;
}

/**
 * Recomputes and stores one person's status. An overturned contest (申诉改判) holds until its
 * valid_until day unless the facts now give a status more severe than the one contested.
 */
export async function refreshHealthStatus(trx: Tx, deps: Pick<Deps, 'clock'>, personId: string): Promise<RefreshedStatus> {
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  const incident = await activeIncident(trx);
  const facts = await healthFacts(trx, personId, today, incident);
  const result = evaluateStatus(await statusRules(trx), facts);
  let status = result.status;
  let rule = result.rule;
  const override = await trx
    .selectFrom('health_status_contests')
    .select(['id', 'status', 'new_status'])
    .where('person_id', '=', personId)
    .where('decision', '=', 'overturned')
    .where('valid_until', '>=', today)
    .orderBy('decided_at', 'desc')
    .executeTakeFirst();
  if (override?.new_status && severity[result.status] <= severity[override.status as HealthColour]) {
    status = override.new_status as HealthColour;
    rule = 'REVIEW';
  }
  const stored = await trx.selectFrom('health_statuses').select(['status']).where('person_id', '=', personId).executeTakeFirst();
  const changed = stored?.status !== status;
  const factsJson = JSON.stringify({ ...facts, matched: result.matched, explanation: result.explanation, ...(rule === 'REVIEW' ? { contest: override?.id } : {}) });
  await trx
    .insertInto('health_statuses')
    .values({ person_id: personId, status, rule, facts: factsJson, since: now, updated_at: now, incident_id: incident?.id ?? null })
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({ status, rule, facts: factsJson, updated_at: now, incident_id: incident?.id ?? null, ...(changed ? { since: now } : {}) }),
    )
    .execute();
  return { status, rule, facts, result, changed };
}
