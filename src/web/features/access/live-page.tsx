import { Col, Empty, Flex, Form, Progress, Row, Segmented, Statistic, Table, Tag, Typography, theme } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Chart, type ChartOption, escapeHtml } from '../../app/charts';
import { DateField } from '../../app/date-fields';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { formatShanghai, LastRefresh, reasonText, shanghaiToday, siteLabel, SiteSelect } from './live-parts';
import { useDenials, useLive, useSites, useTraffic, useVehiclePassages, type Denial, type LiveSite, type Traffic, type VehiclePassage } from './live-queries';
import { Panel } from '../../app/panel';

type Metric = 'in' | 'out' | 'denied';
const levelColor: Record<string, string> = { open: 'green', restricted: 'orange', closed: 'red' };

/** The first words of a reason's message (before its comma or colon): the chart's axis label. */
function shortReason(reason: string, language: string): string {
  return reasonText(reason, language).split(/[，,:：]/)[0]!.trim();
}

function SiteCard({ site, selected, onSelect }: { site: LiveSite; selected: boolean; onSelect: () => void }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const share = site.capacity ? Math.round((site.inside / site.capacity) * 1000) / 10 : null;
  return (
    <Panel
      size="small"
      hoverable
      onClick={onSelect}
      data-site={site.site}
      style={selected ? { borderColor: token.colorPrimary, boxShadow: `0 0 0 1px ${token.colorPrimary}` } : undefined}
      title={
        <Flex gap={8} align="center" wrap>
          <span>{siteLabel(site, i18n.language)}</span>
          <Tag color={levelColor[site.accessLevel]}>{t(`accessLive.levels.${site.accessLevel as 'open'}`, { defaultValue: site.accessLevel })}</Tag>
        </Flex>
      }
      extra={<Typography.Text type="secondary">{t(`accessLive.kinds.${site.kind as 'plant'}`, { defaultValue: site.kind })}</Typography.Text>}
    >
      <Flex gap={16} align="center" wrap>
        {share !== null ? (
          <Progress
            type="dashboard"
            size={96}
            percent={Math.min(100, share)}
            status={share >= 100 ? 'exception' : 'normal'}
            format={() => `${share}%`}
            aria-label={t('accessLive.live.capacityShare', { share })}
          />
        ) : null}
        <Flex vertical gap={4} style={{ minWidth: 120 }}>
          <Statistic
            title={t('accessLive.live.inside')}
            value={site.inside}
            valueRender={() => <span data-testid={`inside-${site.site}`}>{site.inside}</span>}
            suffix={site.capacity ? <Typography.Text type="secondary">/ {site.capacity}</Typography.Text> : null}
          />
          <Typography.Text type="secondary">
            {t('accessLive.live.todayLine', { in: site.inToday, out: site.outToday })}
            {' · '}
            <Typography.Text type={site.deniedToday > 0 ? 'danger' : 'secondary'}>{t('accessLive.live.deniedLine', { count: site.deniedToday })}</Typography.Text>
          </Typography.Text>
        </Flex>
      </Flex>
    </Panel>
  );
}

function TrafficChart({ traffic, metric }: { traffic: Traffic; metric: Metric }) {
  const { t } = useTranslation();
  const rows = traffic.rows.filter((r) => r[metric].some((n) => n > 0));
  if (rows.length === 0) return <Empty description={t('accessLive.live.noTraffic')} />;
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: traffic.hours.map((h) => `${String(h).padStart(2, '0')}:00`) },
    yAxis: { type: 'value', minInterval: 1, name: t('accessLive.live.passages') },
    series: rows.map((r) => ({ type: 'bar', name: r.checkpointName, stack: 'all', data: r[metric], emphasis: { focus: 'series' } })),
  };
  return <Chart option={option} height={320} label={t('accessLive.live.trafficLabel', { date: traffic.date })} />;
}

function ReasonChart({ byReason }: { byReason: Record<string, number> }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const entries = Object.entries(byReason).sort((a, b) => a[1] - b[1]);
  if (entries.length === 0) return <Empty description={t('accessLive.live.noDenials')} />;
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const x = p as { dataIndex: number; value: number };
        const e = entries[x.dataIndex];
        return e ? `${escapeHtml(reasonText(e[0], i18n.language))}<br/>${x.value}` : '';
      },
    },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: entries.map(([r]) => shortReason(r, i18n.language)), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [{ type: 'bar', data: entries.map(([, n]) => n), itemStyle: { color: token.colorError }, label: { show: true, position: 'right' } }],
  };
  return <Chart option={option} height={Math.max(160, entries.length * 34 + 24)} label={t('accessLive.live.reasonLabel')} />;
}

/** 出入看板: people inside each site against its capacity, today's passages, traffic by hour, denials and vehicles; fetched again every 30 s. */
export function AccessLivePage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const client = useQueryClient();
  const { token } = theme.useToken();
  const busy = useIsFetching({ queryKey: ['accessLive'] }) > 0;
  const live = useLive();
  const sites = useSites();
  const [metric, setMetric] = useState<Metric>('in');
  // The server's today unless a date is asked for (the browser's clock may differ).
  const dateParam = params.get('date') ?? undefined;
  const today = live.data?.date ?? shanghaiToday();
  const date = dateParam ?? today;
  const liveSites = live.data?.sites ?? [];
  const site = params.get('site') ?? liveSites.find((s) => s.kind === 'plant')?.site ?? liveSites[0]?.site;
  const traffic = useTraffic(site, dateParam);
  const denials = useDenials(site, dateParam);
  const vehicles = useVehiclePassages(site, dateParam);
  const siteName = (code: string) => {
    const s = liveSites.find((x) => x.site === code);
    return s ? siteLabel(s, i18n.language) : code;
  };

  const denialColumns: ColumnsType<Denial> = [
    { title: t('accessLive.common.time'), dataIndex: 'at', render: (v: string) => formatShanghai(v, 'time'), width: 100 },
    { title: t('accessLive.common.checkpoint'), dataIndex: 'checkpointName' },
    { title: t('accessLive.common.direction'), dataIndex: 'direction', render: (v: 'in' | 'out') => t(`accessLive.direction.${v}`) },
    { title: t('accessLive.common.person'), dataIndex: 'person', render: (p: Denial['person']) => (p ? `${p.name} (${p.code})` : t('accessLive.common.unknownPerson')) },
    { title: t('accessLive.live.reason'), dataIndex: 'reason', render: (r: string) => <Typography.Text type="danger">{reasonText(r, i18n.language)}</Typography.Text> },
    { title: t('accessLive.live.temperature'), dataIndex: 'temperatureC', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} ℃`) },
  ];
  const vehicleColumns: ColumnsType<VehiclePassage> = [
    { title: t('accessLive.common.time'), dataIndex: 'at', render: (v: string) => formatShanghai(v, 'time'), width: 100 },
    { title: t('accessLive.common.plate'), dataIndex: 'plate', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('accessLive.common.checkpoint'), dataIndex: 'checkpoint' },
    { title: t('accessLive.common.direction'), dataIndex: 'direction', render: (v: 'in' | 'out') => t(`accessLive.direction.${v}`) },
    {
      title: t('accessLive.live.disinfected'),
      dataIndex: 'disinfected',
      render: (v: boolean | null) => (v === null ? '—' : v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag color="orange">{t('common.no')}</Tag>),
    },
    { title: t('accessLive.live.permitted'), dataIndex: 'permitted', render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : <Tag color="red">{t('common.no')}</Tag>) },
    {
      title: t('accessLive.live.decision'),
      key: 'decision',
      render: (_v, r) => (r.decision === 'allow' ? <Tag color="green">{t('accessLive.live.allow')}</Tag> : <Tag color="red">{reasonText(r.reason, i18n.language)}</Tag>),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessLive.live.title')}
        </Typography.Title>
        <LastRefresh at={live.dataUpdatedAt || undefined} busy={busy} onRefresh={() => void client.invalidateQueries({ queryKey: ['accessLive'], refetchType: 'active' })} />
      </Flex>
      {live.isError ? (
        <LoadError error={live.error} onRetry={() => void live.refetch()} />
      ) : !live.data ? (
        <PageSpin />
      ) : liveSites.length === 0 ? (
        <Panel>
          <Empty description={t('accessLive.live.noSites')} />
        </Panel>
      ) : (
        <Row gutter={[12, 12]}>
          {liveSites.map((s) => (
            <Col key={s.site} xs={24} sm={12} xl={6}>
              <SiteCard site={s} selected={s.site === site} onSelect={() => set('site', s.site)} />
            </Col>
          ))}
        </Row>
      )}
      {site ? (
        <>
          <Form layout="inline" style={{ rowGap: 8 }}>
            <Form.Item label={t('accessLive.common.site')} htmlFor="live-site">
              <SiteSelect id="live-site" sites={sites.data?.rows ?? []} value={site} onChange={(v) => set('site', v)} loading={sites.isPending} />
            </Form.Item>
            <Form.Item label={t('accessLive.common.date')} htmlFor="live-date">
              <DateField
                id="live-date"
                allowClear={false}
                value={dayjs(date)}
                disabledDate={(d) => d.format('YYYY-MM-DD') > today}
                onChange={(d) => set('date', d && d.format('YYYY-MM-DD') !== today ? d.format('YYYY-MM-DD') : null)}
              />
            </Form.Item>
          </Form>
          <Panel
            size="small"
            title={t('accessLive.live.traffic', { site: siteName(site), date })}
            extra={
              <Segmented<Metric>
                size="small"
                value={metric}
                onChange={setMetric}
                options={[
                  { value: 'in', label: t('accessLive.direction.in') },
                  { value: 'out', label: t('accessLive.direction.out') },
                  { value: 'denied', label: t('accessLive.live.denied') },
                ]}
              />
            }
          >
            {traffic.isError ? <LoadError error={traffic.error} onRetry={() => void traffic.refetch()} /> : traffic.data ? <TrafficChart traffic={traffic.data} metric={metric} /> : <PageSpin />}
          </Panel>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={10}>
              <Panel size="small" title={t('accessLive.live.byReason', { count: denials.data?.total ?? 0 })} style={{ height: '100%' }}>
                {denials.isError ? <LoadError error={denials.error} onRetry={() => void denials.refetch()} /> : denials.data ? <ReasonChart byReason={denials.data.byReason} /> : <PageSpin />}
              </Panel>
            </Col>
            <Col xs={24} lg={14}>
              <Panel size="small" title={t('accessLive.live.recentDenials')} style={{ height: '100%' }}>
                <Table<Denial>
                  size="small"
                  rowKey="id"
                  loading={denials.isPending}
                  dataSource={denials.data?.rows ?? []}
                  columns={denialColumns}
                  pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
                  scroll={{ x: 'max-content' }}
                />
              </Panel>
            </Col>
          </Row>
          <Panel size="small" title={t('accessLive.live.vehicles', { date })}>
            {vehicles.isError ? (
              <LoadError error={vehicles.error} onRetry={() => void vehicles.refetch()} />
            ) : (
              <Flex vertical gap={12}>
                {vehicles.data ? (
                  <Row gutter={[12, 12]}>
                    {(
                      [
                        ['total', vehicles.data.summary.total],
                        ['in', vehicles.data.summary.in],
                        ['out', vehicles.data.summary.out],
                        ['disinfected', vehicles.data.summary.disinfected],
                        ['notPermitted', vehicles.data.summary.notPermitted],
                      ] as const
                    ).map(([k, v]) => (
                      <Col key={k} xs={12} sm={8} md={4}>
                        <Statistic title={t(`accessLive.live.vehicleSummary.${k}`)} value={v} styles={k === 'notPermitted' && v > 0 ? { content: { color: token.colorError } } : undefined} />
                      </Col>
                    ))}
                  </Row>
                ) : null}
                <Table<VehiclePassage>
                  size="small"
                  rowKey="id"
                  loading={vehicles.isPending}
                  dataSource={vehicles.data?.rows ?? []}
                  columns={vehicleColumns}
                  pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: t('accessLive.live.noVehicles') }}
                />
              </Flex>
            )}
          </Panel>
        </>
      ) : null}
    </Flex>
  );
}
