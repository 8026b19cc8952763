import { Alert, Card, Descriptions, Drawer, Empty, Flex, Form, Select, Table, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { hasErrorCode } from '../../app/errors';
import { Chart, type ChartOption } from '../../app/charts';
import { LoadError, PageSpin } from '../../app/status-pages';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { CarrierTag, formatQuantity } from './parts';
import type { QualityMeter } from '../../../server/modules/energy/anomalies.schemas';
import { useAnomalies, useAnomaly, type Anomaly } from './queries';
import { useSetSearchParam } from '../../app/use-search-param';

const fixed = (v: number, digits: number, locale: string) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: Math.min(digits, 2) }).format(v);

/** Consumption against the baseline's expectation (top) and the CUSUM of the differences with its threshold (bottom). */
function EvidenceChart({ anomaly }: { anomaly: Anomaly }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const e = anomaly.evidence;
  const days = e.points.map((p) => p.day);
  const since = anomaly.since?.slice(0, 10);
  const drift = anomaly.rule === 'EN_DRIFT';
  const option: ChartOption = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: drift
      ? [
          { left: 8, right: 96, top: 40, height: '44%', containLabel: true },
          { left: 8, right: 96, top: '66%', bottom: 8, containLabel: true },
        ]
      : [{ left: 8, right: 96, top: 40, bottom: 8, containLabel: true }],
    xAxis: drift
      ? [
          { type: 'category', data: days, gridIndex: 0, axisLabel: { show: false } },
          { type: 'category', data: days, gridIndex: 1 },
        ]
      : [{ type: 'category', data: days }],
    yAxis: drift
      ? [
          { type: 'value', scale: true, gridIndex: 0, name: t('energy.anomalies.consumption') },
          { type: 'value', gridIndex: 1, name: 'CUSUM' },
        ]
      : [{ type: 'value', scale: true, name: t('energy.anomalies.perTonne') }],
    series: drift
      ? [
          {
            type: 'line',
            name: t('energy.anomalies.consumption'),
            data: e.points.map((p) => p.consumption ?? '-'),
            lineStyle: { color: token.colorPrimary },
            itemStyle: { color: token.colorPrimary },
            symbolSize: 4,
            markLine: since === undefined ? undefined : { silent: true, symbol: 'none', data: [{ xAxis: since, lineStyle: { color: token.colorError, type: 'dotted' }, label: { formatter: t('energy.anomalies.since'), color: token.colorError } }] },
          },
          { type: 'line', name: t('energy.anomalies.expected'), data: e.points.map((p) => p.expected ?? '-'), lineStyle: { color: token.colorTextTertiary, type: 'dashed' }, itemStyle: { color: token.colorTextTertiary }, symbol: 'none' },
          {
            type: 'line',
            name: 'CUSUM',
            xAxisIndex: 1,
            yAxisIndex: 1,
            data: e.points.map((p) => p.cusum ?? '-'),
            lineStyle: { color: token.colorWarning },
            itemStyle: { color: token.colorWarning },
            symbolSize: 3,
            markLine:
              e.threshold === null
                ? undefined
                : { silent: true, symbol: 'none', data: [{ yAxis: e.threshold, lineStyle: { color: token.colorError, type: 'dashed' }, label: { formatter: t('energy.anomalies.threshold'), position: 'end', color: token.colorError } }] },
          },
        ]
      : [
          {
            type: 'line',
            name: t('energy.anomalies.perTonne'),
            data: e.points.map((p) => p.perTonne ?? '-'),
            lineStyle: { color: token.colorPrimary },
            itemStyle: { color: token.colorPrimary },
            symbolSize: 4,
            markLine: e.limits
              ? {
                  silent: true,
                  symbol: 'none',
                  data: [
                    { yAxis: e.limits.center, lineStyle: { color: token.colorSuccess }, label: { formatter: t('energy.anomalies.center'), position: 'end' } },
                    { yAxis: e.limits.upper, lineStyle: { color: token.colorError, type: 'dashed' }, label: { formatter: 'UCL', position: 'end' } },
                    { yAxis: e.limits.lower, lineStyle: { color: token.colorError, type: 'dashed' }, label: { formatter: 'LCL', position: 'end' } },
                  ],
                }
              : undefined,
          },
        ],
  };
  return <Chart option={option} height={drift ? 420 : 320} label={t('energy.anomalies.chartLabel', { unit: anomaly.unitName, meter: anomaly.meter ?? anomaly.indicator ?? '' })} />;
}

/** EN_QUALITY's evidence: the meters with suspect days not confirmed, and the way to the heatmap where they are confirmed. */
function QualityEvidence({ anomaly }: { anomaly: Anomaly }) {
  const { t } = useTranslation();
  const meters = anomaly.evidence.meters ?? [];
  // The heatmap shows one month: that of the latest suspect day listed (where there is something to
  // confirm), else that of the last day watched (the last day with data).
  const month = (meters.flatMap((m) => m.days).sort().at(-1) ?? anomaly.evidence.window?.to)?.slice(0, 7);
  const heatmap = `/energy/quality?unit=${encodeURIComponent(anomaly.unit)}${month ? `&month=${month}` : ''}`;
  return (
    <Flex vertical gap={8}>
      <Typography.Text strong>{t('energy.anomalies.qualityMeters')}</Typography.Text>
      <Table<QualityMeter>
        size="small"
        rowKey="meter"
        pagination={false}
        dataSource={meters}
        locale={{ emptyText: <Empty description={t('energy.anomalies.qualityNone')} /> }}
        columns={[
          { title: t('energy.anomalies.meter'), dataIndex: 'meter', render: (code: string, m) => <Link to={`/energy/meters/${encodeURIComponent(code)}`}>{`${code} ${m.meterName}`}</Link> },
          { title: t('energy.meter.carrier'), dataIndex: 'carrier', render: (c: QualityMeter['carrier']) => <CarrierTag carrier={c} /> },
          { title: t('energy.anomalies.qualityDays'), dataIndex: 'days', render: (days: string[]) => days.join('、') },
          { title: t('energy.anomalies.qualityFindings'), dataIndex: 'findings', render: (codes: string[]) => codes.map((c) => t(`energy.findings.${c}`, { defaultValue: c })).join('、') },
        ]}
      />
      <Link to={heatmap}>{t('energy.anomalies.openQuality')}</Link>
    </Flex>
  );
}

function Evidence({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const anomaly = useAnomaly(id ?? undefined);
  const a = anomaly.data;
  return (
    <Drawer open={Boolean(id)} onClose={onClose} size="large" title={a ? `${a.unitName} · ${t(`energy.rules.${a.rule}`)}` : t('energy.anomalies.evidence')} destroyOnHidden>
      {anomaly.isError ? (
        <LoadError error={anomaly.error} onRetry={() => void anomaly.refetch()} />
      ) : !a ? (
        <PageSpin />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Paragraph style={{ margin: 0 }}>{a.summary}</Typography.Paragraph>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label={t('energy.anomalies.meter')}>{a.meter ? <Link to={`/energy/meters/${encodeURIComponent(a.meter)}`}>{a.meter}</Link> : (a.indicator ?? '—')}</Descriptions.Item>
            <Descriptions.Item label={t('energy.meter.carrier')}>
              <CarrierTag carrier={a.carrier} />
            </Descriptions.Item>
            <Descriptions.Item label={t('energy.anomalies.since')}>{a.since?.slice(0, 10) ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('energy.anomalies.state')}>{t(`energy.anomalyStates.${a.state}`, { defaultValue: a.state })}</Descriptions.Item>
            {a.evidence.baseline ? (
              <>
                <Descriptions.Item label={t('energy.anomalies.baseline')} span={2}>
                  <span data-testid="baseline">
                    {t('energy.anomalies.formula', { a: fixed(a.evidence.baseline.a, 4, locale), b: formatQuantity(a.evidence.baseline.b, locale) })}
                    {' · '}R² = {fixed(a.evidence.baseline.r2, 3, locale)}
                    {' · '}
                    {a.evidence.baseline.from} – {a.evidence.baseline.to}
                  </span>
                </Descriptions.Item>
              </>
            ) : null}
            {a.evidence.threshold !== null ? <Descriptions.Item label={t('energy.anomalies.threshold')}>{formatQuantity(a.evidence.threshold, locale)}</Descriptions.Item> : null}
            <Descriptions.Item label={t('energy.anomalies.problem')}>{a.problemId ? <Link to={`/problems?id=${a.problemId}`}>{t('energy.anomalies.openProblem')}</Link> : '—'}</Descriptions.Item>
          </Descriptions>
          {a.rule === 'EN_QUALITY' ? <QualityEvidence anomaly={a} /> : a.evidence.points.length ? <EvidenceChart anomaly={a} /> : <Empty />}
        </Flex>
      )}
    </Drawer>
  );
}

/** 能耗异常: what the detection found (baseline drifts with CUSUM, control-chart signals); a row opens its evidence. */
export function AnomaliesPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const unit = params.get('unit') ?? undefined;
  const state = params.get('state') ?? undefined;
  const id = params.get('id');
  const list = useAnomalies(unit, state);
  const setParam = useSetSearchParam();
  // Opening an anomaly is a step the back button undoes; filters replace the entry.
  const set = (key: string, value: string | null | undefined) => setParam(key, value, { push: key === 'id' });
  const states = [...new Set((list.data?.rows ?? []).map((r) => r.state))];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('energy.anomalies.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('energy.anomalies.intro')}
      </Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('energy.meter.unit')} htmlFor="anomalies-unit">
          <UnitTreeSelect id="anomalies-unit" valueField="code" value={unit ?? null} onChange={(v) => set('unit', v)} allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('energy.anomalies.state')} htmlFor="anomalies-state">
          <Select
            id="anomalies-state"
            allowClear
            value={state}
            onChange={(v: string | undefined) => set('state', v)}
            options={[...new Set([...states, ...(state ? [state] : [])])].map((s) => ({ value: s, label: t(`energy.anomalyStates.${s}`, { defaultValue: s }) }))}
            style={{ width: 140 }}
          />
        </Form.Item>
      </Form>
      {list.isError ? (
        hasErrorCode(list.error, 'NOT_FOUND') ? (
          <Alert type="info" showIcon title={t('energy.anomalies.unavailable')} />
        ) : (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        )
      ) : (
        <Card size="small">
          <Table<Anomaly>
            size="small"
            rowKey="id"
            loading={list.isPending}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={list.data?.rows ?? []}
            locale={{ emptyText: <Empty description={t('energy.anomalies.empty')} /> }}
            onRow={(r) => ({ onClick: () => set('id', r.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('energy.meter.unit'), dataIndex: 'unitName' },
              { title: t('energy.anomalies.rule'), dataIndex: 'rule', render: (r: Anomaly['rule']) => <Tag color={r === 'EN_DRIFT' ? 'orange' : r === 'EN_QUALITY' ? 'purple' : 'blue'}>{t(`energy.rules.${r}`)}</Tag> },
              { title: t('energy.meter.carrier'), dataIndex: 'carrier', render: (c: Anomaly['carrier']) => <CarrierTag carrier={c} /> },
              { title: t('energy.anomalies.meter'), key: 'what', render: (_v, r) => r.meter ?? r.indicator ?? '—' },
              { title: t('energy.anomalies.since'), dataIndex: 'since', render: (v: string | null) => v?.slice(0, 10) ?? '—' },
              { title: t('energy.anomalies.state'), dataIndex: 'state', render: (s: string) => <Tag>{t(`energy.anomalyStates.${s}`, { defaultValue: s })}</Tag> },
              { title: t('energy.anomalies.summary'), dataIndex: 'summary' },
              {
                title: t('energy.anomalies.evidence'),
                key: 'open',
                render: (_v, r) => (
                  <Typography.Link
                    onClick={(e) => {
                      e.stopPropagation();
                      set('id', r.id);
                    }}
                  >
                    {t('energy.anomalies.open')}
                  </Typography.Link>
                ),
              },
            ]}
          />
        </Card>
      )}
      <Evidence key={id ?? 'none'} id={id} onClose={() => set('id', null)} />
    </Flex>
  );
}
