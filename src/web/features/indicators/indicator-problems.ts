import type { TFunction } from 'i18next';
import { ApiError } from '../../app/api-client';

/** The form fields a problem of an INDICATOR_INVALID answer belongs to; `null`: the whole indicator. */
export type ProblemField = 'formula' | 'bandCentre' | 'rangeMax' | 'validTo' | 'ownerUnitId' | null;

/**
 * The server explains INDICATOR_INVALID in English sentences without codes (`details.problems`).
 * The known sentences are placed under their field and translated; others are shown as they are.
 */
const patterns: { test: RegExp; field: ProblemField; text: (t: TFunction, match: RegExpExecArray) => string }[] = [
  { test: /^Unknown indicator code\(s\) in the formula: (.+)$/, field: 'formula', text: (t, m) => t('indicators.problems.unknownCodes', { codes: m[1] }) },
  { test: /^The formula makes a cycle: (.+)$/, field: 'formula', text: (t, m) => t('indicators.problems.cycle', { cycle: m[1] }) },
  { test: /^Formula: (.+)$/, field: 'formula', text: (t, m) => t('indicators.problems.syntax', { detail: m[1] }) },
  { test: /^A formula is required exactly when/, field: 'formula', text: (t) => t('indicators.problems.formulaMismatch') },
  { test: /^A band indicator needs a centre/, field: 'bandCentre', text: (t) => t('indicators.problems.bandCentre') },
  { test: /^The reasonable range is reversed/, field: 'rangeMax', text: (t) => t('indicators.problems.rangeReversed') },
  { test: /^Valid to is before valid from/, field: 'validTo', text: (t) => t('indicators.problems.validity') },
  { test: /^The owner unit does not exist/, field: 'ownerUnitId', text: (t) => t('indicators.problems.ownerUnit') },
];

export function indicatorProblems(error: unknown, t: TFunction): { field: ProblemField; text: string }[] {
  if (!(error instanceof ApiError) || error.code !== 'INDICATOR_INVALID') return [];
  const problems = (error.details as { problems?: unknown } | null)?.problems;
  if (!Array.isArray(problems)) return [];
  return problems
    .filter((problem): problem is string => typeof problem === 'string')
    .map((problem) => {
      for (const pattern of patterns) {
        const match = pattern.test.exec(problem);
        if (match) return { field: pattern.field, text: pattern.text(t, match) };
      }
      // A formula-related sentence we do not know yet still belongs under the formula.
      return { field: /formula/i.test(problem) ? 'formula' : null, text: problem };
    });
}
