import { Descriptions, Flex, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../server/modules/indicators/indicators.schemas';
import { formatNumber, noValue } from '../benchmarking/format';
import { useIndicators } from '../indicators/queries';
import { useUnits } from '../units/queries';
import { substituteFormula } from './drilldown-model';
import type { MeasurementDetail } from './queries';

type Source = NonNullable<MeasurementDetail['source']>;
const sources: readonly Source[] = ['entry', 'import', 'demo', 'formula'];
const sourceColors: Record<Source, string> = { entry: 'blue', import: 'purple', demo: 'default', formula: 'cyan' };

function isSource(value: string | null): value is Source {
  return value !== null && (sources as readonly string[]).includes(value);
}

/** Names and number formats of indicators and units in the UI language. */
export function useDrilldownNames() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  const library = useIndicators();
  const { data: units } = useUnits();
  const settled = !library.isPending;
  return useMemo(() => {
    const indicators = new Map((library.data ?? []).map((indicator) => [indicator.code, indicator]));
    const unitOf = new Map((units ?? []).map((unit) => [unit.code, unit]));
    const inLocale = (zh: string, en: string) => (locale === 'en-US' && en ? en : zh);
    return {
      locale,
      indicators,
      /** False while the indicator library is still loading. */
      settled,
      indicatorName: (code: string) => {
        const indicator = indicators.get(code);
        return indicator ? inLocale(indicator.nameZh, indicator.nameEn) : code;
      },
      unitName: (code: string) => {
        const unit = unitOf.get(code);
        return unit ? inLocale(unit.nameZh, unit.nameEn) : code;
      },
      /** A value of an indicator with the indicator's decimals. */
      figure: (code: string, value: number | null | undefined) => formatNumber(value, locale, indicators.get(code)?.precision),
    };
  }, [locale, library.data, settled, units]);
}

/** Where a value came from: typed in, imported from a file, the demo data, or computed by a formula. */
export function SourceTag({ source }: { source: string | null }) {
  const { t } = useTranslation();
  if (source === null) return <Typography.Text type="secondary">{t('drilldown.sources.none')}</Typography.Text>;
  if (!isSource(source)) return <Tag>{source}</Tag>;
  return (
    <Tag color={sourceColors[source]} style={{ marginInlineEnd: 0 }}>
      {t(`drilldown.sources.${source}`)}
    </Tag>
  );
}

/** What the number is: the indicator and its 口径, the unit and the period; more rows after them. */
export function IndicatorFacts({
  unit,
  indicator,
  code,
  period,
  more = [],
}: {
  unit: string;
  indicator: Indicator | undefined;
  code: string;
  period: string;
  more?: DescriptionsProps['items'];
}) {
  const { t } = useTranslation();
  const names = useDrilldownNames();
  const items: DescriptionsProps['items'] = [
    {
      key: 'indicator',
      label: t('drilldown.indicator'),
      children: (
        <Flex gap={6} wrap align="baseline">
          <span>{names.indicatorName(code)}</span>
          <Typography.Text code>{code}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'unit',
      label: t('drilldown.unit'),
      children: (
        <Flex gap={6} wrap align="baseline">
          <span>{names.unitName(unit)}</span>
          <Typography.Text type="secondary">{unit}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'period', label: t('drilldown.period'), children: <span className="num">{period}</span> },
    { key: 'uom', label: t('drilldown.uom'), children: indicator?.uom || noValue },
    {
      key: 'scope',
      label: t('drilldown.scopeText'),
      span: 'filled',
      children: (
        <Flex gap={6} wrap align="baseline">
          <span>{indicator?.scopeText || noValue}</span>
          {indicator?.scopeTag ? <Tag style={{ marginInlineEnd: 0 }}>{indicator.scopeTag}</Tag> : null}
        </Flex>
      ),
    },
    ...(more ?? []),
  ];
  return <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} items={items} />;
}

/** The formula as defined and with the inputs' figures in place: `DJ_DC_KWH / DJ_AL_OUT = 268,613,271 / 20,907 = 12,848`. */
export function FormulaLine({ formula, figureOf, result }: { formula: string; figureOf: (code: string) => string; result: string }) {
  return (
    <Flex vertical gap={4}>
      <Typography.Text code style={{ alignSelf: 'flex-start' }}>
        {formula}
      </Typography.Text>
      <Typography.Text className="num">
        = {substituteFormula(formula, figureOf)} = <strong>{result}</strong>
      </Typography.Text>
    </Flex>
  );
}
