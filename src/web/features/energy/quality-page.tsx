import { Alert, Button, Card, Descriptions, Drawer, Empty, Flex, Form, Input, List, Table, Tag, Typography, message } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Chart, type ChartOption, type ChartParts, escapeHtml } from '../../app/charts';
import { errorMessage } from '../../app/errors';
import { useMe, usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { PeriodPicker } from '../benchmarking/period-picker';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { formatQuantity, monthRange, qualityColor, RecomputingNote, useDefaultMonth } from './parts';
import { useConfirmDay, useQuality, type Quality, type QualityDay } from './queries';
import { useSetSearchParam } from '../../app/use-search-param';

/** The heat map's ECharts parts, loaded with the chart. */
const heatmapParts: ChartParts = () => import('../../app/echarts-parts/heatmap');

const shanghaiTime = (ms: unknown) => (typeof ms === 'number' ? new Date(ms + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ') : '');

/** One finding in words: its rule and the facts that matter. */
function FindingText({ code, facts }: { code: string; facts: Record<string, unknown> }) {
  const { t } = useTranslation();
  const span = facts.start !== undefined ? `${shanghaiTime(facts.start)} – ${shanghaiTime(facts.end)}` : '';
  const detail =
    code === 'EQ_COMPLETENESS'
      ? t('energy.quality.completeness', { received: facts.received, expected: facts.expected })
      : code === 'EQ_STUCK' || code === 'EQ_GAP'
        ? t('energy.quality.intervals', { count: Number(facts.intervals ?? 0), span })
        : span;
  return (
    <span>
      <Tag color={code === 'EQ_STUCK' || code === 'EQ_NEGATIVE' || code === 'EQ_SPIKE' || code === 'EQ_COMPLETENESS' ? 'error' : 'warning'}>{t(`energy.findings.${code}`, { defaultValue: code })}</Tag>
      {typeof facts.meter === 'string' ? `${facts.meter} ` : ''}
      {detail}
    </span>
  );
}

interface Cell {
  meter: string;
  day: QualityDay;
}

function DayDrawer({ cell, onClose }: { cell: Cell | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const can = usePermission();
  const confirm = useConfirmDay();
  const [reason, setReason] = useState('');
  const d = cell?.day;
  return (
    <Drawer open={Boolean(cell)} onClose={onClose} title={cell ? `${cell.meter} · ${cell.day.day}` : ''} size="large" destroyOnHidden>
      {cell && d ? (
        <Flex vertical gap={12}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('energy.quality.score')}>{d.score === null ? '—' : <Tag color={qualityColor(d.score)}>{Math.round(d.score)}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('energy.detail.consumption')}>{formatQuantity(d.consumption, i18n.language)}</Descriptions.Item>
            <Descriptions.Item label={t('energy.quality.received')}>
              {d.received} / {d.expected}
            </Descriptions.Item>
            <Descriptions.Item label={t('energy.quality.state')}>
              {d.confirmed ? <Tag color="green">{t('energy.quality.confirmed')}</Tag> : d.suspect ? <Tag color="red">{t('energy.quality.suspect')}</Tag> : <Tag>{t('energy.quality.ok')}</Tag>}
            </Descriptions.Item>
          </Descriptions>
          <List size="small" header={t('energy.quality.findings')} dataSource={d.findings} locale={{ emptyText: t('energy.quality.noFindings') }} renderItem={(f) => <List.Item><FindingText code={f.code} facts={f.facts} /></List.Item>} />
          <Link to={`/energy/meters/${encodeURIComponent(cell.meter)}?from=${d.day}&to=${d.day}&interval=hour`}>{t('energy.quality.openMeter')}</Link>
          {d.suspect && !d.confirmed && can('measurement.enter') ? (
            <Form
              layout="vertical"
              onFinish={() =>
                confirm.mutate(
                  { meter: cell.meter, day: d.day, reason: reason.trim() },
                  {
                    onSuccess: () => {
                      void message.success(t('energy.quality.confirmedOk'));
                      onClose();
                    },
                  },
                )
              }
            >
              <Form.Item label={t('energy.quality.reason')} htmlFor="confirm-reason" required>
                <Input.TextArea id="confirm-reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} rows={2} />
              </Form.Item>
              {confirm.isError ? <Alert type="error" showIcon title={errorMessage(confirm.error, t)} /> : null}
              <Button type="primary" htmlType="submit" loading={confirm.isPending} disabled={!reason.trim()}>
                {t('energy.quality.confirm')}
              </Button>
            </Form>
          ) : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}

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
        <Card>
          <Empty description={t('energy.quality.noMeters')} />
        </Card>
      ) : (
        <>
          <Card size="small">
            <Heatmap data={quality.data} onPick={setCell} />
          </Card>
          <Card size="small" title={t('energy.quality.flagged', { count: flagged.length })}>
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
          </Card>
        </>
      )}
      <DayDrawer key={cell ? `${cell.meter}|${cell.day.day}` : 'none'} cell={cell} onClose={() => setCell(null)} />
    </Flex>
  );
}
