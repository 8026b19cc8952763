import { Alert, Card, Empty, Flex, Form, Input, List, Select, Space, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSetSearchParam } from '../../app/use-search-param';
import { Chart, type ChartOption } from '../../app/charts';
import { LoadError, PageSpin } from '../../app/status-pages';
import { noValue } from '../benchmarking/format';
import { useIndicators } from '../indicators/queries';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { controlChartRules, useControlChart, type ControlChart, type ControlChartSignal } from './queries';

/** A limit or mean, with as many decimals as its size needs (they come unrounded). */
function figure(value: number | null, locale: string): string {
  if (value === null) return noValue;
  const digits = Math.abs(value) >= 1000 ? 1 : Math.abs(value) >= 1 ? 3 : 6;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** The values as a line, the centre line and the control limits, signal points marked, suspect values hollow. */
function ControlChartView({ chart, label }: { chart: ControlChart; label: string }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const locale = i18n.language;
  const periods = chart.points.map((p) => p.period);
  const flagged = new Map<string, ControlChartSignal[]>();
  for (const s of chart.signals) for (const p of s.periods) flagged.set(p, [...(flagged.get(p) ?? []), s]);
  const lines: { name: string; yAxis: number; color: string; type: 'solid' | 'dashed' }[] = [];
  if (chart.mean !== null) lines.push({ name: t('evaluationExtras.controlChart.centre', { value: figure(chart.mean, locale) }), yAxis: chart.mean, color: token.colorSuccess, type: 'solid' });
  if (chart.ucl !== null) lines.push({ name: t('evaluationExtras.controlChart.ucl', { value: figure(chart.ucl, locale) }), yAxis: chart.ucl, color: token.colorError, type: 'dashed' });
  if (chart.lcl !== null) lines.push({ name: t('evaluationExtras.controlChart.lcl', { value: figure(chart.lcl, locale) }), yAxis: chart.lcl, color: token.colorError, type: 'dashed' });
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 96, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: periods, axisLabel: { color: token.colorTextSecondary } },
    yAxis: { type: 'value', scale: true, axisLabel: { color: token.colorTextSecondary } },
    series: [
      {
        type: 'line',
        name: t('evaluationExtras.controlChart.value'),
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { color: token.colorPrimary },
        data: chart.points.map((p) => ({
          value: p.value ?? '-',
          symbol: p.suspect ? 'emptyCircle' : 'circle',
          itemStyle: { color: p.suspect ? token.colorTextTertiary : p.baseline ? token.colorPrimaryBorder : token.colorPrimary },
        })),
        markLine: {
          silent: true,
          symbol: 'none',
          data: lines.map((l) => ({ name: l.name, yAxis: l.yAxis, lineStyle: { color: l.color, type: l.type }, label: { formatter: l.name, position: 'end', color: l.color } })),
        },
        // The signal points, marked over the line with the rules that flag them.
        markPoint: {
          symbol: 'diamond',
          symbolSize: 14,
          itemStyle: { color: token.colorError },
          label: { show: true, position: 'top', color: token.colorError, fontSize: 10, formatter: '{b}' },
          data: chart.points.flatMap((p) => {
            const signals = flagged.get(p.period);
            if (!signals || p.value === null) return [];
            return [{ name: [...new Set(signals.map((s) => s.rule))].join(' '), coord: [p.period, p.value], value: p.value }];
          }),
        },
      },
    ],
  };
  return <Chart option={option} height={340} label={label} />;
}

/** 控制图: one unit's indicator on an XmR chart, with each run-rule signal explained in words. */
export function ControlChartPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [searchParams] = useSearchParams();
  const unit = searchParams.get('unit') ?? undefined;
  const indicator = searchParams.get('indicator') ?? undefined;
  const rules = (searchParams.get('rules') ?? '').split(',').filter((r) => (controlChartRules as readonly string[]).includes(r));
  const from = searchParams.get('from') ?? undefined;
  const to = searchParams.get('to') ?? undefined;
  const indicators = useIndicators();
  const chart = useControlChart({ unit, indicator, rules, from, to });
  const data = chart.data;

  const set = useSetSearchParam();
  const month = (v: string) => (/^\d{4}-(0[1-9]|1[0-2])$/.test(v) ? v : null);
  const indicatorLabel = (code: string) => {
    const i = indicators.data?.find((x) => x.code === code);
    return i ? `${locale === 'en-US' && i.nameEn ? i.nameEn : i.nameZh} (${code})` : code;
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('evaluationExtras.controlChart.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('evaluationExtras.controlChart.intro')}
      </Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('evaluationExtras.controlChart.unit')} htmlFor="control-chart-unit">
          <UnitTreeSelect id="control-chart-unit" valueField="code" value={unit ?? null} onChange={(v) => set('unit', v)} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('evaluationExtras.controlChart.indicator')} htmlFor="control-chart-indicator">
          <Select
            id="control-chart-indicator"
            showSearch={{ optionFilterProp: 'label' }}
            value={indicator}
            onChange={(v: string) => set('indicator', v)}
            loading={indicators.isPending}
            options={(indicators.data ?? []).map((i) => ({ value: i.code, label: indicatorLabel(i.code) }))}
            style={{ width: 260 }}
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <Form.Item label={t('evaluationExtras.controlChart.rules')} htmlFor="control-chart-rules">
          <Select
            id="control-chart-rules"
            mode="multiple"
            value={rules}
            onChange={(v: string[]) => set('rules', v.join(','))}
            options={controlChartRules.map((r) => ({ value: r, label: r }))}
            placeholder="WE1–WE4"
            style={{ minWidth: 200 }}
          />
        </Form.Item>
        <Form.Item label={t('evaluationExtras.controlChart.from')} htmlFor="control-chart-from">
          <Input id="control-chart-from" type="month" value={from ?? ''} onChange={(e) => set('from', month(e.target.value))} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item label={t('evaluationExtras.controlChart.to')} htmlFor="control-chart-to">
          <Input id="control-chart-to" type="month" value={to ?? ''} onChange={(e) => set('to', month(e.target.value))} style={{ width: 150 }} />
        </Form.Item>
      </Form>
      {!unit || !indicator ? (
        <Card>
          <Empty description={t('evaluationExtras.controlChart.pick')} />
        </Card>
      ) : chart.isError ? (
        <LoadError error={chart.error} onRetry={() => void chart.refetch()} />
      ) : !data ? (
        <PageSpin />
      ) : (
        <>
          <Card size="small">
            <Space wrap size={[12, 4]}>
              {data.baseline ? (
                <Typography.Text type="secondary">
                  {t('evaluationExtras.controlChart.baseline', { ...data.baseline, source: t(`evaluationExtras.controlChart.baselineSources.${data.baseline.source}`) })}
                </Typography.Text>
              ) : null}
              {data.mean !== null ? (
                <Typography.Text type="secondary">{t('evaluationExtras.controlChart.stats', { mean: figure(data.mean, locale), mr: figure(data.mr, locale), sigma: figure(data.sigma, locale) })}</Typography.Text>
              ) : null}
              <Typography.Text type="secondary">
                {t('evaluationExtras.controlChart.rules')}: {data.rules.join(', ')}
              </Typography.Text>
            </Space>
            {data.note ? <Alert style={{ marginTop: 8 }} type="info" showIcon title={t('evaluationExtras.controlChart.noLimits', { note: data.note })} /> : null}
            {data.points.length ? (
              <ControlChartView chart={data} label={t('evaluationExtras.controlChart.chartLabel', { unit: data.unit, indicator: indicatorLabel(data.indicator) })} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
          <Card size="small" title={t('evaluationExtras.controlChart.signals')}>
            <List
              size="small"
              dataSource={data.signals}
              locale={{ emptyText: t('evaluationExtras.controlChart.noSignals') }}
              renderItem={(s) => (
                <List.Item>
                  <Flex vertical gap={2}>
                    <Space wrap size={4}>
                      <Tag color="blue">{s.rule}</Tag>
                      {s.favourable !== null ? <Tag color={s.favourable ? 'success' : 'error'}>{t(s.favourable ? 'evaluationExtras.controlChart.favourable' : 'evaluationExtras.controlChart.unfavourable')}</Tag> : null}
                      <span className="num">{s.periods.length === 1 ? s.periods[0] : `${s.periods[0]} – ${s.periods.at(-1)}`}</span>
                    </Space>
                    <span>{locale === 'en-US' ? s.explanation : s.explanationZh}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`warnings.rules.${s.rule}`, { defaultValue: s.definition })}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
          {data.points.some((p) => p.suspect) ? <Typography.Text type="secondary">○ {t('evaluationExtras.controlChart.suspect')}</Typography.Text> : null}
          {chart.isFetching ? <Typography.Text type="secondary">…</Typography.Text> : null}
        </>
      )}
    </Flex>
  );
}
