import { Empty, Flex, Form, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Chart, type ChartOption, type ChartParts, escapeHtml } from '../../app/charts';
import { useMe } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { PeriodPicker } from '../benchmarking/period-picker';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { formatQuantity, monthRange, qualityColor, RecomputingNote, useDefaultMonth } from './parts';
import { useQuality, type Quality } from './queries';
import { useSetSearchParam } from '../../app/use-search-param';
import { onDemand } from '../../app/on-demand';
import type { Cell } from './quality-day-drawer';
import { Panel } from '../../app/panel';

/** The heat map's ECharts parts, loaded with the chart. */
const heatmapParts: ChartParts = () => import('../../app/echarts-parts/heatmap');

// The day's drawer (its findings and the form confirming a suspect day) loads when a cell is first picked.
const DayDrawer = onDemand(async () => (await import(/* on demand */ './quality-day-drawer')).DayDrawer, (props) => props.cell !== null);

function Heatmap({ data, onPick }: { data: Quality; onPick: (cell: Cell) => void }) {
  const { t } = useTranslation();
  const meters = data.meters.map((m) => m.meter);
  const cells: [number, number, number | null][] = [];
  data.meters.forEach((m, y) => {
    for (const d of m.days) cells.push([data.days.indexOf(d.day), y, d.score === null ? null : Math.round(d.score)]);
  });
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    tooltip: {
      formatter: (p: unknown) => {
        const v = (p as { value: [number, number, number | null] }).value;
        return `${escapeHtml(meters[v[1]] ?? '')}<br/>${data.days[v[0]]}: ${v[2] ?? '—'}`;
      },
    },
    xAxis: { type: 'category', data: data.days.map((d) => d.slice(5)), splitArea: { show: true } },
    yAxis: { type: 'category', data: meters, inverse: true, axisLabel: { fontSize: 11 } },
    visualMap: {
      type: 'piecewise',
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      dimension: 2,
      pieces: [
        { min: 90, max: 100, color: qualityColor(95), label: t('energy.quality.good') },
        { min: 70, max: 89.999, color: qualityColor(80), label: t('energy.quality.fair') },
        { min: 0, max: 69.999, color: qualityColor(0), label: t('energy.quality.poor') },
      ],
    },
    series: [{ type: 'heatmap', data: cells, itemStyle: { borderColor: '#fff', borderWidth: 1 }, emphasis: { itemStyle: { borderColor: '#000' } } }],
  };
  return (
    <div style={{ overflowX: 'auto' }}>
      <div style={{ minWidth: Math.max(600, data.days.length * 22 + 160) }}>
        <Chart
          option={option}
          parts={heatmapParts}
          height={Math.max(200, meters.length * 22 + 90)}
          label={t('energy.quality.chartLabel', { unit: data.unit })}
          onEvents={{
            click: (p) => {
              const v = (p as { value?: [number, number, number | null] }).value;
              if (!v) return;
              const m = data.meters[v[1]];
              const day = m?.days.find((d) => d.day === data.days[v[0]]);
              if (m && day) onPick({ meter: m.meter, day });
            },
          }}
        />
      </div>
    </div>
  );
}

/** 数据质量: meters × days coloured by the quality score; a cell opens its findings (and a suspect day's confirmation). */
export function QualityPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [params] = useSearchParams();
  const defaultMonth = useDefaultMonth();
  const unit = params.get('unit') ?? me.unitCode ?? undefined;
  const month = params.get('month') ?? defaultMonth;
  const range = month ? monthRange(month) : { from: '', to: '' };
  const quality = useQuality(month ? unit : undefined, range.from, range.to);
  const [cell, setCell] = useState<Cell | null>(null);
  const set = useSetSearchParam();
  const flagged = useMemo(
    () => (quality.data?.meters ?? []).flatMap((m) => m.days.filter((d) => d.suspect || d.confirmed || (d.score !== null && d.score < 90)).map((d) => ({ key: `${m.meter}|${d.day}`, meter: m.meter, day: d })))
        // The latest days first: today's problems before last month's.
        .sort((a, b) => (a.day.day === b.day.day ? 0 : a.day.day < b.day.day ? 1 : -1)),
    [quality.data],
  );

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('energy.quality.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('energy.quality.intro')}
      </Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('energy.meter.unit')} htmlFor="quality-unit">
          <UnitTreeSelect id="quality-unit" valueField="code" value={unit ?? null} onChange={(v) => set('unit', v)} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('energy.range.month')} htmlFor="quality-month">
          <PeriodPicker id="quality-month" kinds={['month']} value={month} onChange={(v) => set('month', v)} />
        </Form.Item>
      </Form>
      <RecomputingNote />
      {quality.isError ? (
        <LoadError error={quality.error} onRetry={() => void quality.refetch()} />
      ) : !quality.data ? (
        <PageSpin />
      ) : quality.data.meters.length === 0 ? (
        <Panel>
          <Empty description={t('energy.quality.noMeters')} />
        </Panel>
      ) : (
        <>
          <Panel size="small">
            <Heatmap data={quality.data} onPick={setCell} />
          </Panel>
          <Panel size="small" title={t('energy.quality.flagged', { count: flagged.length })}>
            <Table
              size="small"
              rowKey="key"
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
              dataSource={flagged}
              onRow={(r) => ({ onClick: () => setCell({ meter: r.meter, day: r.day }), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('energy.meter.code'), dataIndex: 'meter' },
                { title: t('energy.quality.day'), key: 'day', render: (_v, r) => r.day.day },
                { title: t('energy.quality.score'), key: 'score', align: 'right', render: (_v, r) => (r.day.score === null ? '—' : <Tag color={qualityColor(r.day.score)}>{Math.round(r.day.score)}</Tag>) },
                {
                  title: t('energy.quality.state'),
                  key: 'state',
                  render: (_v, r) => (r.day.confirmed ? <Tag color="green">{t('energy.quality.confirmed')}</Tag> : r.day.suspect ? <Tag color="red">{t('energy.quality.suspect')}</Tag> : <Tag>{t('energy.quality.poorOnly')}</Tag>),
                },
                { title: t('energy.quality.findings'), key: 'findings', render: (_v, r) => [...new Set(r.day.findings.map((f) => t(`energy.findings.${f.code}`, { defaultValue: f.code })))].join('、') },
                { title: t('energy.detail.consumption'), key: 'c', align: 'right', render: (_v, r) => formatQuantity(r.day.consumption, i18n.language) },
              ]}
            />
          </Panel>
        </>
      )}
      <DayDrawer key={cell ? `${cell.meter}|${cell.day.day}` : 'none'} cell={cell} onClose={() => setCell(null)} />
    </Flex>
  );
}
