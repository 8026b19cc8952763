/**
 * The idle-asset ledger (闲置资产盘活): an asset's status follows from its disposal plan — idle
 * without a plan, planned with one, in progress once a step is done, disposed when disposed — and
 * the ledger's summary counts assets and adds book values and proceeds exactly.
 */
import { sum, type Exact } from '../evaluation/decimal';
import { decimalOf, yuan } from './money';

export const ASSET_KINDS = ['line', 'building', 'equipment', 'vehicle'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export const ASSET_STATUSES = ['idle', 'planned', 'in-progress', 'disposed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export const DISPOSAL_ROUTES = ['lease', 'sale', 'transfer', 'reuse', 'scrap'] as const;
export type DisposalRoute = (typeof DISPOSAL_ROUTES)[number];

export interface PlanStep {
  step: string;
  /** 'YYYY-MM-DD'. */
  due: string;
  done: boolean;
}

/** The status an asset's plan gives it (a disposed asset stays disposed). */
export function assetStatus(plan: readonly PlanStep[], disposed: boolean): AssetStatus {
  if (disposed) return 'disposed';
  if (plan.some((s) => s.done)) return 'in-progress';
  return plan.length > 0 ? 'planned' : 'idle';
}

/** Steps not done whose due date is before the day ('YYYY-MM-DD'). */
export function overdueSteps(plan: readonly PlanStep[], today: string): PlanStep[] {
  return plan.filter((s) => !s.done && s.due < today);
}

export interface AssetFact {
  kind: AssetKind;
  status: AssetStatus;
  bookValue: string;
  proceeds: string | null;
}

export interface LedgerSummary {
  total: number;
  byStatus: Record<AssetStatus, number>;
  byKind: Record<AssetKind, { count: number; disposed: number; bookValue: string; proceeds: string }>;
  /** Book value of the assets not yet disposed. */
  idleBookValue: string;
  proceeds: string;
}

/** Counts by status and kind, book values and proceeds, summed exactly. */
export function ledgerSummary(assets: readonly AssetFact[]): LedgerSummary {
  const byStatus = Object.fromEntries(ASSET_STATUSES.map((s) => [s, 0])) as Record<AssetStatus, number>;
  const kinds = new Map<AssetKind, { count: number; disposed: number; book: Exact[]; proceeds: Exact[] }>(ASSET_KINDS.map((k) => [k, { count: 0, disposed: 0, book: [], proceeds: [] }]));
  const idleBook: Exact[] = [];
  const proceeds: Exact[] = [];
  for (const a of assets) {
    byStatus[a.status]++;
    const k = kinds.get(a.kind)!;
    k.count++;
    k.book.push(decimalOf(a.bookValue));
    if (a.status === 'disposed') k.disposed++;
    else idleBook.push(decimalOf(a.bookValue));
    if (a.proceeds !== null) {
      k.proceeds.push(decimalOf(a.proceeds));
      proceeds.push(decimalOf(a.proceeds));
    }
  }
  const byKind = Object.fromEntries([...kinds].map(([kind, k]) => [kind, { count: k.count, disposed: k.disposed, bookValue: yuan(sum(k.book)), proceeds: yuan(sum(k.proceeds)) }])) as LedgerSummary['byKind'];
  return { total: assets.length, byStatus, byKind, idleBookValue: yuan(sum(idleBook)), proceeds: yuan(sum(proceeds)) };
}
