import type { TFunction } from 'i18next';
import type { IndicatorIssue } from '../../../server/modules/indicators/indicators.schemas';
import { ApiError } from '../../app/api-client';

/** The form fields a problem of an INDICATOR_INVALID answer belongs to; `null`: the whole indicator. */
export type ProblemField = IndicatorIssue['field'] | null;

/** Each issue code's text; the server's codes are stable, its sentences are for people. */
const texts: Record<IndicatorIssue['code'], (t: TFunction, issue: IndicatorIssue, detail: string) => string> = {
  FORMULA_UNKNOWN_CODES: (t, issue) => t('indicators.problems.unknownCodes', { codes: issue.codes.join(', ') }),
  FORMULA_CYCLE: (t, issue) => t('indicators.problems.cycle', { cycle: issue.codes.join(' → ') }),
  FORMULA_SYNTAX: (t, _issue, detail) => t('indicators.problems.syntax', { detail }),
  FORMULA_MISMATCH: (t) => t('indicators.problems.formulaMismatch'),
  BAND_CENTRE_MISSING: (t) => t('indicators.problems.bandCentre'),
  RANGE_REVERSED: (t) => t('indicators.problems.rangeReversed'),
  VALIDITY_REVERSED: (t) => t('indicators.problems.validity'),
  OWNER_UNIT_MISSING: (t) => t('indicators.problems.ownerUnit'),
};

const isIssue = (value: unknown): value is IndicatorIssue =>
  typeof value === 'object' && value !== null && typeof (value as IndicatorIssue).code === 'string' && Array.isArray((value as IndicatorIssue).codes);

/** The problems of an INDICATOR_INVALID answer, translated and placed under their form field. */
export function indicatorProblems(error: unknown, t: TFunction): { field: ProblemField; text: string }[] {
  if (!(error instanceof ApiError) || error.code !== 'INDICATOR_INVALID') return [];
  const issues = (error.details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(isIssue).map((issue) => {
    const text = Object.hasOwn(texts, issue.code) ? texts[issue.code](t, issue, issue.message.replace(/^Formula: /, '')) : issue.message;
    return { field: issue.field ?? null, text };
  });
}
