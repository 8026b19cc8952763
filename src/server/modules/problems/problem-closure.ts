/**
 * Closing a problem (销号), shared by POST /api/problems/:id/close and the supervision sheet when a
 * reviewer approves an item's evidence. A problem raised from a data gap is `verified` only when the
 * approved data after its gap period show the gap closed for its verify_periods months in a row;
 * otherwise it stays visible as `closed-unverified` and the warnings scan checks it again. A problem
 * without a data cause is `verified`: its evidence was approved by a reviewer.
 */
import { nextStatus } from '../../../domain/problems/problem-status';
import { verifyGapClosed } from '../../../domain/problems/verification';
import { monthOf } from '../../../domain/warnings/rules';
import type { Db, Deps, RequestContext, Tx } from '../../context';
import { conflict, notFound } from '../../errors';
import { audit } from '../audit/audit.service';
import { checkCause } from './cause-check';

export interface VerificationRecord {
  checkedAt: string;
  by: 'closure' | 'scan' | 'evidence';
  verified: boolean;
  rule?: string;
  indicator?: string;
  gapPeriod?: string;
  required?: number;
  goodRun?: number;
  goodPeriods?: string[];
  lastChecked?: string | null;
  results?: { period: string; holds: boolean | null }[];
  note?: string;
}

/** Whether the data show the cause of a problem gone; null when it has no data cause. */
export async function verifyByData(
  db: Db | Tx,
  p: { unit_id: string; warning_id: string | null; gap_period: string | null; verify_periods: number },
  at: Date,
  by: VerificationRecord['by'],
): Promise<VerificationRecord | null> {
  const check = await checkCause(db, p, monthOf(at.getTime()));
  if (!check) return null;
  const outcome = verifyGapClosed(check.results, p.verify_periods);
  return {
    checkedAt: at.toISOString(),
    by,
    verified: outcome.verified,
    rule: check.rule,
    indicator: check.indicator,
    gapPeriod: p.gap_period!,
    required: outcome.required,
    goodRun: outcome.goodRun,
    goodPeriods: outcome.goodPeriods,
    lastChecked: outcome.lastChecked,
    results: check.results,
  };
}

/**
 * Closes an active problem (open, in-progress or closing) in the caller's transaction and audits it.
 * The caller checks permissions, scope and evidence. Throws 404 PROBLEM_NOT_FOUND, 409 PROBLEM_NOT_ACTIVE.
 */
export async function closeProblemWithEvidence(trx: Tx, deps: Deps, ctx: RequestContext, problemId: string, at: Date): Promise<{ status: 'verified' | 'closed-unverified' }> {
  const p = await trx.selectFrom('problems').selectAll().where('id', '=', problemId).forUpdate().executeTakeFirst();
  if (!p) throw notFound('PROBLEM_NOT_FOUND', 'No such problem');
  const byData = await verifyByData(trx, p, at, 'closure');
  const verification: VerificationRecord = byData ?? { checkedAt: at.toISOString(), by: 'evidence', verified: true, note: 'no data cause: verified by the approved evidence' };
  const t = nextStatus(p.status as Parameters<typeof nextStatus>[0], { type: 'close', verified: verification.verified });
  if (!t.ok) throw conflict(t.code, t.message, { status: p.status });
  const status = t.status as 'verified' | 'closed-unverified';
  await trx
    .updateTable('problems')
    .set({ status, closed_at: at, closed_by: ctx.actor?.userId ?? null, verification: JSON.stringify(verification), updated_at: at, version: p.version + 1 })
    .where('id', '=', p.id)
    .execute();
  await audit(trx, { clock: { now: () => at } }, ctx, {
    action: 'problem.close',
    objectType: 'problem',
    objectId: p.id,
    changes: { status: { old: p.status, new: status } },
    details: { number: Number(p.number), verification },
  });
  void deps;
  return { status };
}
