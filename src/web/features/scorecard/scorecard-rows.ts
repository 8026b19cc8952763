import type { ScorecardRow } from '../../../server/modules/scorecard/scorecard.schemas';

/** The indicator's name in the UI language. */
export function rowName(row: Pick<ScorecardRow, 'name' | 'nameEn'>, locale: string): string {
  return locale === 'en-US' && row.nameEn ? row.nameEn : row.name;
}

export type Tone = 'good' | 'bad' | 'neutral';

/** Whether a signed gap (positive = better, as the API gives it) is good news. */
export function gapTone(gap: number | null): Tone {
  if (gap === null || gap === 0) return 'neutral';
  return gap > 0 ? 'good' : 'bad';
}

/**
 * Whether a change (year on year, period on period) is good news: up for higher-better, down for
 * lower-better; a band indicator's change says nothing by itself.
 */
export function changeTone(direction: ScorecardRow['direction'], change: number | null): Tone {
  if (change === null || change === 0 || direction === 'band') return 'neutral';
  return (change > 0) === (direction === 'higher') ? 'good' : 'bad';
}

/** The gap to target in percent of the target's size: comparable across indicators and units. */
export function gapToTargetPercent(row: ScorecardRow): number | null {
  if (row.gapToTarget === null || row.target === null || row.target === 0) return null;
  return (row.gapToTarget / Math.abs(row.target)) * 100;
}

export interface ScorecardSummary {
  withTarget: number;
  attained: number;
  below: number;
  records: number;
  monthRecords: number;
  /** Indicators with either kind of record (one indicator may have both). */
  withRecord: number;
  approved: number;
  total: number;
}

export function summarise(rows: readonly ScorecardRow[]): ScorecardSummary {
  return {
    withTarget: rows.filter((row) => row.attained !== null).length,
    attained: rows.filter((row) => row.attained === true).length,
    below: rows.filter((row) => row.attained === false).length,
    records: rows.filter((row) => row.isRecord).length,
    monthRecords: rows.filter((row) => row.isMonthRecord).length,
    withRecord: rows.filter((row) => row.isRecord || row.isMonthRecord).length,
    approved: rows.filter((row) => row.status === 'approved').length,
    total: rows.length,
  };
}
