import { useTranslation } from 'react-i18next';
import { CONTROL_CHART_CODES, DATA_QUALITY_CODES } from '../../../domain/warnings/rules';
import type { Indicator } from '../../../server/modules/indicators/indicators.schemas';
import { noValue } from '../benchmarking/format';

/** The colours and conditions a TARGET rule's lights may use (the schema's enums). */
export const lightColors = ['green', 'yellow', 'red'] as const;
export const lightConditions = ['stretch', 'attained', 'floor', 'any'] as const;
export type LightColor = (typeof lightColors)[number];
export type LightCondition = (typeof lightConditions)[number];
export interface LightRow {
  light: LightColor;
  when: LightCondition;
}

/** The codes in the groups the code select shows them in. */
export const ruleCodeGroups = [
  { key: 'target', codes: ['TARGET'] },
  { key: 'benchmark', codes: ['GAP_WIDENING'] },
  { key: 'westernElectric', codes: CONTROL_CHART_CODES.filter((c) => c.startsWith('WE')) },
  { key: 'nelson', codes: CONTROL_CHART_CODES.filter((c) => c.startsWith('N')) },
  { key: 'dataQuality', codes: [...DATA_QUALITY_CODES] },
  { key: 'energy', codes: ['EN_DRIFT', 'EN_CHART', 'EN_QUALITY'] },
] as const satisfies readonly { key: string; codes: readonly string[] }[];

export const isChartCode = (code: string) => (CONTROL_CHART_CODES as readonly string[]).includes(code);

/** Each code's parameters when a rule is added (the schemas' defaults). */
export function defaultParams(code: string): Record<string, unknown> {
  if (code === 'TARGET')
    return {
      lights: [
        { light: 'green', when: 'attained' },
        { light: 'yellow', when: 'floor' },
        { light: 'red', when: 'any' },
      ],
    };
  if (code === 'GAP_WIDENING' || code === 'DQ_STUCK') return { periods: 3 };
  if (isChartCode(code)) return { baselineMonths: 24, baselineFrom: null, screenRanges: false };
  if (code === 'DQ_JUMP') return { k: 3, baselineMonths: 24 };
  if (code === 'DQ_MISSING') return { deadlineDay: 10, lookbackMonths: 3 };
  if (code === 'EN_DRIFT') return { meter: '', baselineFrom: null, baselineDays: 56, k: 0.5, h: 5, minR2: 0.75 };
  if (code === 'EN_CHART') return { meter: '', baselineFrom: null, baselineDays: 56, rules: ['WE1', 'WE2'] };
  if (code === 'EN_QUALITY') return { lookbackDays: 31 };
  return {};
}

/** The parameter names each code has (what the form sends and where the server's errors go). */
export function paramKeys(code: string): string[] {
  return Object.keys(defaultParams(code));
}

const numberOf = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? String(value) : noValue);

/** The rule in words, in the user's language (the server's `definition` says the same in English). */
export function useRuleSentence(indicator: Indicator | undefined): (rule: { code: string; params: Record<string, unknown> }) => string {
  const { t, i18n } = useTranslation();
  const separator = i18n.language === 'en-US' ? '; ' : '；';
  return ({ code, params }) => {
    if (code === 'TARGET') {
      const lights = Array.isArray(params.lights) ? (params.lights as LightRow[]) : [];
      const words = lights.map((l) => t('warningRules.sentence.light', { when: t(`warningRules.lights.whens.${l.when}`), light: t(`warningRules.lights.colors.${l.light}`) }));
      return t('warningRules.sentence.target', { lights: words.join(separator) });
    }
    if (code === 'GAP_WIDENING') return t('warningRules.sentence.gap', { periods: numberOf(params.periods) });
    if (code === 'DQ_RANGE') return t('warningRules.sentence.range', { min: numberOf(indicator?.rangeMin), max: numberOf(indicator?.rangeMax) });
    if (code === 'DQ_STUCK') return t('warningRules.sentence.stuck', { periods: numberOf(params.periods) });
    if (code === 'DQ_JUMP') return t('warningRules.sentence.jump', { k: numberOf(params.k), months: numberOf(params.baselineMonths) });
    if (code === 'DQ_MISSING') return t('warningRules.sentence.missing', { day: numberOf(params.deadlineDay), months: numberOf(params.lookbackMonths) });
    if (code === 'EN_QUALITY') return t('warningRules.sentence.quality', { days: numberOf(params.lookbackDays) });
    if (code === 'EN_DRIFT' || code === 'EN_CHART') {
      const days = numberOf(params.baselineDays);
      const since = typeof params.baselineFrom === 'string' && params.baselineFrom ? params.baselineFrom : null;
      const baseline = since ? t('warningRules.sentence.baselineDays', { from: since, days }) : t('warningRules.sentence.baselineFirstDays', { days });
      const meter = typeof params.meter === 'string' ? params.meter : noValue;
      if (code === 'EN_DRIFT') return t('warningRules.sentence.drift', { meter, baseline, minR2: numberOf(params.minR2), h: numberOf(params.h) });
      return t('warningRules.sentence.energyChart', { meter, baseline, rules: Array.isArray(params.rules) ? params.rules.join('、') : noValue });
    }
    const months = numberOf(params.baselineMonths);
    const from = typeof params.baselineFrom === 'string' && params.baselineFrom ? params.baselineFrom : null;
    return t('warningRules.sentence.chart', {
      rule: t(`warnings.rules.${code}`, { defaultValue: code }),
      baseline: from ? t('warningRules.sentence.baselineFrom', { from, months }) : t('warningRules.sentence.baselineFirst', { months }),
      screen: params.screenRanges === true ? t('warningRules.sentence.screen') : '',
    });
  };
}
