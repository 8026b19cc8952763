/**
 * Opening an abnormal case (异常情况), shared by the gate, declarations, statuses, screening,
 * exposures and the case ledger. One open case per person and incident: a new cause while one is
 * open is written on that case's tracking card instead of opening another.
 */
import type { Deps, RequestContext, Tx } from '../../context';
import { audit } from '../audit/audit.service';

export type CaseSource = 'gate' | 'declaration' | 'status' | 'screening' | 'exposure' | 'manual';
export type CaseReason = 'FEVER' | 'HEALTH_RED' | 'SYMPTOMS' | 'RISK_TRAVEL' | 'CONTACT' | 'OTHER';

export interface OpenCase {
  personId: string;
  incidentId: string | null;
  source: CaseSource;
  reason: CaseReason;
  /** The row that caused it: a gate event, declaration, screening or exposure id. */
  sourceRef?: string | null;
  temperatureC?: number | null;
  siteId?: string | null;
  at: Date;
  note?: string | null;
  classification?: 'unclassified' | 'suspected' | 'confirmed';
}

/**
 * Opens a case, or notes the cause on the person's open case. Returns the case id and whether it
 * was opened now. Audited (without personal values).
 */
export async function openAbnormalCase(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, c: OpenCase): Promise<{ id: string; opened: boolean }> {
  const now = deps.clock.now();
  // The unique index abnormal_cases_one_open settles a race between two writers: the second waits
  // for the first to commit, inserts nothing and then finds the first one's case.
  const row = await trx
    .insertInto('abnormal_cases')
    .values({
      person_id: c.personId,
      incident_id: c.incidentId,
      source: c.source,
      reason: c.reason,
      source_ref: c.sourceRef ?? null,
      temperature_c: c.temperatureC ?? null,
      site_id: c.siteId ?? null,
      opened_at: c.at,
      note: c.note ?? null,
      opened_by: ctx.actor?.userId ?? null,
      classification: c.classification ?? 'unclassified',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'number'])
    .executeTakeFirst();
  if (row) {
    await audit(trx, deps, ctx, { action: 'health.case.open', objectType: 'abnormal_case', objectId: row.id, details: { number: row.number, source: c.source, reason: c.reason } });
    return { id: row.id, opened: true };
  }
  let existing = trx.selectFrom('abnormal_cases').select('id').where('person_id', '=', c.personId).where('status', '=', 'open');
  existing = c.incidentId === null ? existing.where('incident_id', 'is', null) : existing.where('incident_id', '=', c.incidentId);
  const open = await existing.executeTakeFirstOrThrow();
  await trx
    .insertInto('case_follow_ups')
    .values({
      case_id: open.id,
      at: c.at,
      checked_by: ctx.actor?.userId ?? null,
      temperature_c: c.temperatureC ?? null,
      condition: `${c.source}: ${c.reason}${c.note ? ` — ${c.note}` : ''}`,
      action: null,
    })
    .execute();
  return { id: open.id, opened: false };
}
