import { stringify } from 'csv-stringify';
import type { Readable } from 'node:stream';
import { genesisHash, verifyChain, type ChainRow } from '../../../domain/hash-chain';
import type { Deps, RequestContext, Tx } from '../../context';
import { appendAudit, chainRows, exportAudit, searchAudit, type AuditInput } from './audit.repository';
import type { AuditQuery, VerifyResult } from './audit.schemas';

export interface AuditEvent {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  result?: 'success' | 'failure';
  changes?: AuditInput['changes'];
  details?: Record<string, unknown> | null;
  /** Who acted, when the request has no signed-in user yet (a login). */
  actor?: { id: string; username: string; role: string | null } | null;
}

/** Field-by-field old/new values of what changed; secrets must not be passed in. */
export function diffChanges<T extends Record<string, unknown>>(before: T | null, after: Partial<T>): AuditInput['changes'] {
  const out: NonNullable<AuditInput['changes']> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    const old = before?.[k];
    if (JSON.stringify(old) !== JSON.stringify(v)) out[k] = before ? { old: old ?? null, new: v } : { new: v };
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Replaces the values of personal fields (names) in a change set: the log says that they changed, not to what. */
export function withoutPersonalValues(changes: AuditInput['changes'], fields: readonly string[]): AuditInput['changes'] {
  if (!changes) return changes;
  const out = { ...changes };
  for (const f of fields) {
    const c = out[f];
    if (c) out[f] = 'old' in c ? { old: '(personal)', new: '(changed)' } : { new: '(set)' };
  }
  return out;
}

/** Writes one audit row for this request in the caller's transaction. */
export async function audit(trx: Tx, deps: Pick<Deps, 'clock'>, ctx: RequestContext, event: AuditEvent): Promise<void> {
  const actor = event.actor ?? (ctx.actor ? { id: ctx.actor.userId, username: ctx.actor.username, role: ctx.actor.roles.map((r) => r.code).join(',') || null } : null);
  await appendAudit(trx, {
    at: deps.clock.now(),
    actorId: actor?.id ?? null,
    actorUsername: actor?.username ?? null,
    role: actor?.role ?? null,
    ip: ctx.ip,
    action: event.action,
    objectType: event.objectType ?? null,
    objectId: event.objectId ?? null,
    result: event.result ?? 'success',
    changes: event.changes ?? null,
    details: event.details ?? null,
  });
}

/** Checks the whole chain a page at a time; the first broken row is named. */
export async function verifyAuditChain(deps: Pick<Deps, 'database'>): Promise<VerifyResult> {
  let start = { seq: 0, hash: genesisHash };
  let checked = 0;
  let page: ChainRow[] = [];
  const check = (): VerifyResult | null => {
    const result = verifyChain(page, start);
    checked += result.checked;
    if (!result.ok) return { ok: false, checked, firstBroken: { seq: result.seq, reason: result.reason } };
    const last = page.at(-1);
    if (last) start = { seq: last.seq, hash: last.hash };
    page = [];
    return null;
  };
  for await (const row of chainRows(deps.database.db)) {
    page.push(row);
    if (page.length >= 2000) {
      const broken = check();
      if (broken) return broken;
    }
  }
  return check() ?? { ok: true, checked, firstBroken: null };
}

export function auditService(deps: Deps) {
  const { db } = deps.database;
  return {
    search: (q: AuditQuery) => searchAudit(db, q),

    async verify(ctx: RequestContext): Promise<VerifyResult> {
      const result = await verifyAuditChain(deps);
      await db.transaction().execute((trx) =>
        audit(trx, deps, ctx, { action: 'audit.verify', objectType: 'audit_log', result: result.ok ? 'success' : 'failure', details: { checked: result.checked, firstBroken: result.firstBroken } }),
      );
      return result;
    },

    /** A CSV of the filtered log; the export itself is audited before the first byte leaves. */
    async exportCsv(ctx: RequestContext, q: Omit<AuditQuery, 'page' | 'pageSize'>): Promise<Readable> {
      await db.transaction().execute((trx) => audit(trx, deps, ctx, { action: 'audit.export', objectType: 'audit_log', details: { filters: q } }));
      const header = ['seq', 'at', 'actor', 'role', 'ip', 'action', 'object_type', 'object_id', 'result', 'changes', 'details', 'hash'];
      const csv = stringify({ header: true, columns: header, escape_formulas: true, bom: true });
      void (async () => {
        try {
          for await (const e of exportAudit(db, q)) {
            const ok = csv.write([e.seq, e.at, e.actorUsername, e.role, e.ip, e.action, e.objectType, e.objectId, e.result, e.changes ? JSON.stringify(e.changes) : '', e.details ? JSON.stringify(e.details) : '', e.hash]);
            if (!ok) await new Promise((r) => csv.once('drain', r));
          }
          csv.end();
        } catch (err) {
          csv.destroy(err as Error);
        }
      })();
      return csv;
    },
  };
}
export type AuditService = ReturnType<typeof auditService>;
