import { Col, Empty, Flex, Form, Row, Segmented, Statistic, Table, Typography, theme } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Chart, type ChartOption, type ChartParts, escapeHtml } from '../../app/charts';
import { useMe } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useScorecard } from '../scorecard/queries';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import type { ScorecardRow } from '../../../server/modules/scorecard/scorecard.schemas';
import { carrierHex, CarrierTag, formatQuantity, monthRange, RecomputingNote, useDefaultMonth } from './parts';
import { useFeeds, useOverview, type Carrier, type Overview } from './queries';
import { useSetSearchParam } from '../../app/use-search-param';
import { Panel } from '../../app/panel';

/** The Sankey diagram's ECharts parts: only this page draws one. */
const sankeyParts: ChartParts = () => import('../../app/echarts-parts/sankey');

const carrierOrder: Carrier[] = ['power', 'water', 'air', 'gas', 'steam', 'heat'];

interface UnitLine {
  unit: string;
  unitName: string;
  byCarrier: Partial<Record<Carrier, Overview['units'][number]>>;
}

/** Energy from the sites down to the units of one carrier: the meter tree's cross-unit flows, plus each unit's own use. */
function EnergySankey({ overview, carrier }: { overview: Overview; carrier: Carrier }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const names = new Map<string, string>();
  for (const u of overview.units) names.set(u.unit, en && u.unitNameEn ? u.unitNameEn : u.unitName);
  const flows = overview.flows.filter((f) => f.carrier === carrier && f.value > 0);
  const rows = overview.units.filter((u) => u.carrier === carrier);
  const links: { source: string; target: string; value: number }[] = flows.map((f) => ({ source: f.source, target: f.target, value: f.value }));
  const involved = new Set(flows.flatMap((f) => [f.source, f.target]));
  // Each unit's own use: what its own meters count less what passes on to other units.
  for (const r of rows) {
    if (!involved.has(r.unit)) continue;
    const out = flows.filter((f) => f.source === r.unit).reduce((s, f) => s + f.value, 0);
    const own = r.consumption - out;
    if (own > r.consumption * 0.001) {
      const node = `${r.unit}\u0000own`;
      names.set(node, t('energy.dashboard.ownUse', { unit: names.get(r.unit) ?? r.unit }));
      links.push({ source: r.unit, target: node, value: own });
    }
  }
  const nodes = [...new Set(links.flatMap((l) => [l.source, l.target]))].map((name) => ({ name }));
  const uom = flows[0]?.uom ?? rows[0]?.uom ?? '';
  if (!links.length) return <Empty description={t('energy.dashboard.noFlows')} />;
  const option: ChartOption = {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const x = p as { dataType?: string; name: string; value: number; data: { source?: string; target?: string } };
        const label = x.dataType === 'edge' ? `${names.get(x.data.source ?? '') ?? ''} → ${names.get(x.data.target ?? '') ?? ''}` : (names.get(x.name) ?? x.name);
        return `${escapeHtml(label)}<br/>${formatQuantity(x.value, i18n.language)} ${escapeHtml(uom)}`;
      },
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 140,
        top: 8,
        bottom: 8,
        nodeGap: 10,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        data: nodes,
        links,
        lineStyle: { color: 'gradient', opacity: 0.35 },
        itemStyle: { color: carrierHex[carrier] },
        label: { formatter: (p: { name: string }) => names.get(p.name) ?? p.name },
      },
    ],
  };
  return <Chart option={option} parts={sankeyParts} height={Math.max(260, nodes.length * 28)} label={t('energy.dashboard.sankeyLabel', { carrier: t(`energy.carriers.${carrier}`) })} />;
}

/** A per-tonne indicator's months against its target and benchmark. */
function PerTonneChart({ row }: { row: ScorecardRow }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const name = i18n.language === 'en-US' && row.nameEn ? row.nameEn : row.name;
  const lines: { name: string; yAxis: number; color: string }[] = [];
  if (row.target !== null) lines.push({ name: t('energy.dashboard.target', { value: row.target }), yAxis: row.target, color: token.colorSuccess });
  if (row.benchmark?.value !== null && row.benchmark?.value !== undefined) lines.push({ name: t('energy.dashboard.benchmark', { value: row.benchmark.value }), yAxis: row.benchmark.value, color: token.colorWarning });
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 110, top: 28, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: row.trend.map((p) => p.period) },
    // The target and benchmark lines stay in view even when the months are far from them.
    yAxis: {
      type: 'value',
      scale: true,
      name: row.uom,
      min: (v: { min: number }) => Math.min(v.min, ...lines.map((l) => l.yAxis)),
      max: (v: { max: number }) => Math.max(v.max, ...lines.map((l) => l.yAxis)),
    },
    series: [
      {
        type: 'line',
        name,
        data: row.trend.map((p) => p.value ?? '-'),
        lineStyle: { color: token.colorPrimary },
        itemStyle: { color: token.colorPrimary },
        markLine: { silent: true, symbol: 'none', data: lines.map((l) => ({ yAxis: l.yAxis, lineStyle: { color: l.color, type: 'dashed' }, label: { formatter: l.name, position: 'end', color: l.color } })) },
      },
    ],
  };
  return (
    <Panel size="small" title={`${name} (${row.indicator})`}>
      <Chart option={option} height={220} label={t('energy.dashboard.perTonneLabel', { indicator: name })} />
    </Panel>
  );
}

function PerTonneTrends({ unit, month }: { unit: string | undefined; month: string | undefined }) {
  const { t } = useTranslation();
  const feeds = useFeeds();
  const fedUnits = [...new Set((feeds.data?.rows ?? []).map((f) => f.unit))];
  const target = unit && fedUnits.includes(unit) ? unit : fedUnits[0];
  const scorecard = useScorecard(target, month, 'period');
  const fed = (feeds.data?.rows ?? []).filter((f) => f.unit === target).map((f) => f.indicator);
  const rows = (scorecard.data?.rows ?? []).filter((r) => r.formula && fed.some((code) => new RegExp(`\\b${code}\\b`).test(r.formula!)));
  if (feeds.isError) return <LoadError error={feeds.error} onRetry={() => void feeds.refetch()} />;
  if (scorecard.isError) return <LoadError error={scorecard.error} onRetry={() => void scorecard.refetch()} />;
  return (
    <Panel size="small" title={t('energy.dashboard.perTonne', { unit: scorecard.data?.unitName ?? target ?? '' })}>
      {feeds.isPending || (target && scorecard.isPending) ? (
        <PageSpin />
      ) : rows.length === 0 ? (
        <Empty description={t('energy.dashboard.noPerTonne')} />
      ) : (
        <Row gutter={[12, 12]}>
          {rows.map((r) => (
            <Col key={r.indicator} xs={24} lg={12}>
              <PerTonneChart row={r} />
            </Col>
          ))}
        </Row>
      )}
    </Panel>
  );
}

/** 能源看板: totals by carrier and by unit, per-tonne trends against target and benchmark, and the Sankey of energy flowing to the units. */
export function EnergyDashboardPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const me = useMe();
  const [params] = useSearchParams();
  const defaultMonth = useDefaultMonth();
  const unit = params.get('unit') ?? undefined;
  const month = params.get('month') ?? defaultMonth;
  const range = month ? monthRange(month) : { from: '', to: '' };
  const overview = useOverview(unit, range.from, range.to);
  const [carrierPick, setCarrierPick] = useState<Carrier | null>(null);
  const set = useSetSearchParam();

  const data = month ? overview.data : undefined;
  const lines = useMemo(() => {
    const by = new Map<string, UnitLine>();
    for (const u of data?.units ?? []) {
      const line = by.get(u.unit) ?? { unit: u.unit, unitName: locale === 'en-US' && u.unitNameEn ? u.unitNameEn : u.unitName, byCarrier: {} };
      line.byCarrier[u.carrier] = u;
      by.set(u.unit, line);
    }
    return [...by.values()];
  }, [data, locale]);
  const present = carrierOrder.filter((c) => data?.units.some((u) => u.carrier === c));
  const flowCarriers = carrierOrder.filter((c) => data?.flows.some((f) => f.carrier === c));
  const carrier = carrierPick && flowCarriers.includes(carrierPick) ? carrierPick : (flowCarriers[0] ?? null);

  const columns: ColumnsType<UnitLine> = [
    { title: t('energy.meter.unit'), dataIndex: 'unitName', fixed: 'left' },
    ...present.map((c) => ({
      title: <CarrierTag carrier={c} />,
      key: c,
      align: 'right' as const,
      render: (_v: unknown, line: UnitLine) => {
        const cell = line.byCarrier[c];
        if (!cell) return '—';
        return (
          <span title={cell.meters.join(' + ')}>
            {formatQuantity(cell.consumption, locale)} {cell.uom}
            {cell.suspectDays > 0 ? <Typography.Text type="warning"> ⚠{cell.suspectDays}</Typography.Text> : null}
          </span>
        );
      },
    })),
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('energy.dashboard.title')}
      </Typography.Title>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('energy.meter.unit')} htmlFor="energy-unit">
          <UnitTreeSelect id="energy-unit" valueField="code" value={unit ?? null} onChange={(v) => set('unit', v)} allowClear placeholder={t('energy.dashboard.allUnits')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('energy.range.month')} htmlFor="energy-month">
          <PeriodPicker id="energy-month" kinds={['month']} value={month} onChange={(v) => set('month', v)} />
        </Form.Item>
      </Form>
      <RecomputingNote />
      {overview.isError ? (
        <LoadError error={overview.error} onRetry={() => void overview.refetch()} />
      ) : !data ? (
        <PageSpin />
      ) : data.units.length === 0 ? (
        <Panel>
          <Empty description={t('energy.dashboard.empty')} />
        </Panel>
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {[...data.carriers].sort((a, b) => carrierOrder.indexOf(a.carrier) - carrierOrder.indexOf(b.carrier)).map((c) => (
              <Col key={`${c.carrier}|${c.uom}`} xs={12} md={8} lg={6} xxl={4}>
                <Panel size="small">
                  <Statistic title={<CarrierTag carrier={c.carrier} />} value={formatQuantity(c.consumption, locale)} suffix={c.uom} />
                </Panel>
              </Col>
            ))}
          </Row>
          <Typography.Text type="secondary">{t('energy.dashboard.totalsNote', { from: data.from, to: data.to })}</Typography.Text>
          <Panel size="small" title={t('energy.dashboard.byUnit')}>
            <Table<UnitLine> size="small" rowKey="unit" pagination={false} scroll={{ x: 'max-content' }} dataSource={lines} columns={columns} />
          </Panel>
          <Panel
            size="small"
            title={t('energy.dashboard.sankey')}
            extra={
              flowCarriers.length > 1 && carrier ? (
                <Segmented<Carrier> size="small" value={carrier} onChange={setCarrierPick} options={flowCarriers.map((c) => ({ value: c, label: t(`energy.carriers.${c}`) }))} />
              ) : null
            }
          >
            {carrier ? <EnergySankey overview={data} carrier={carrier} /> : <Empty description={t('energy.dashboard.noFlows')} />}
          </Panel>
        </>
      )}
      <PerTonneTrends unit={unit ?? me.unitCode ?? undefined} month={month} />
    </Flex>
  );
}
