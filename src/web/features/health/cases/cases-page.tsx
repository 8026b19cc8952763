import { DownloadOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Empty, Flex, Form, Input, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Chart, type ChartOption } from '../../../app/charts';
import { DateRangeField } from '../../../app/date-fields';
import { onDemand } from '../../../app/on-demand';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { formatShanghai, SiteSelect } from '../../access/live-parts';
import { useSites } from '../../access/live-queries';
import {
  CASE_REASONS,
  CASE_STATUSES,
  CaseStatusTag,
  CLASSIFICATIONS,
  ClassificationTag,
  DEFAULT_FEVER_C,
  NoIncidentNote,
  oneOf,
  PersonName,
  ReasonTag,
  Temperature,
  useHealthError,
  useSetSearchParams,
} from './cases-parts';
import { downloadLedger, useActiveIncident, useLedger, type CaseLedger, type CaseReason, type CaseRow, type LedgerFilter } from './cases-queries';
import { Panel } from '../../../app/panel';

const pageSize = 50;
const filterKeys = ['status', 'reason', 'classification', 'site', 'from', 'to', 'q'];

/** Opened per day as bars, still open at the end of the day as a line. */
function DailyChart({ ledger }: { ledger: CaseLedger }) {
  const { t } = useTranslation();
  if (ledger.daily.every((d) => d.opened === 0 && d.closed === 0 && d.open === 0)) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthCases.cases.chartEmpty', { from: ledger.period.from, to: ledger.period.to })} />;
  }
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: ledger.daily.map((d) => d.date) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: t('healthCases.cases.opened'), data: ledger.daily.map((d) => d.opened), itemStyle: { color: '#ff7875' } },
      { type: 'bar', name: t('healthCases.cases.closedPerDay'), data: ledger.daily.map((d) => d.closed), itemStyle: { color: '#95de64' } },
      { type: 'line', name: t('healthCases.cases.openLine'), data: ledger.daily.map((d) => d.open), symbol: 'none', lineStyle: { width: 2, color: '#1677ff' }, itemStyle: { color: '#1677ff' } },
    ],
  };
  return <Chart option={option} height={260} label={t('healthCases.cases.chartLabel', { from: ledger.period.from, to: ledger.period.to })} />;
}

// The dialogs (a form with a number input, the export's reason) load when first opened.
const loadDialogs = () => import(/* on demand */ './cases-dialogs');
const OpenCaseModal = onDemand(async () => (await loadDialogs()).OpenCaseModal, (props) => props.open);
const UnmaskExportModal = onDemand(async () => (await loadDialogs()).UnmaskExportModal, (props) => props.open);

/** 异常情况台账: every abnormal case in the user's scope, filtered in the address, with the daily counts and the export. */
export function CasesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const can = usePermission();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const setMany = useSetSearchParams();
  const setFilter = (k: string, v: string | null | undefined) => set(k, v, { clear: ['page'] });
  const filter: LedgerFilter = {
    status: oneOf(CASE_STATUSES, params.get('status')),
    reason: oneOf(CASE_REASONS, params.get('reason')),
    classification: oneOf(CLASSIFICATIONS, params.get('classification')),
    site: params.get('site') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    q: params.get('q') ?? undefined,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize,
  };
  const { page: _page, pageSize: _size, ...exportFilter } = filter;
  const ledger = useLedger(filter);
  const incident = useActiveIncident();
  const sites = useSites(can('access.read'));
  const [opening, setOpening] = useState(false);
  const [unmasking, setUnmasking] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [search, setSearch] = useState(filter.q ?? '');
  const threshold = incident.data?.settings.feverThresholdC ?? DEFAULT_FEVER_C;
  const data = ledger.data;
  const anyFilter = filterKeys.some((k) => params.has(k));

  const exportMasked = () => {
    setExporting(true);
    downloadLedger(exportFilter).then(
      () => setExporting(false),
      (e: unknown) => {
        setExporting(false);
        void message.error(describe(e));
      },
    );
  };

  const columns: ColumnsType<CaseRow> = [
    { title: t('healthCases.cases.number'), dataIndex: 'number', width: 70, render: (n: number, r) => <Link to={`/health/cases/${r.id}`}>{n}</Link> },
    { title: t('healthCases.common.person'), key: 'person', render: (_v, r) => <PersonName person={r.person} /> },
    { title: t('healthCases.common.site'), key: 'site', render: (_v, r) => r.site?.nameZh ?? '—' },
    { title: t('healthCases.common.source'), dataIndex: 'source', render: (s: CaseRow['source']) => t(`healthCases.sources.${s}`) },
    { title: t('healthCases.common.reason'), dataIndex: 'reason', render: (r: CaseReason) => <ReasonTag reason={r} /> },
    { title: t('healthCases.common.classification'), dataIndex: 'classification', render: (c: CaseRow['classification']) => <ClassificationTag value={c} /> },
    { title: t('healthCases.common.temperature'), dataIndex: 'temperatureC', render: (v: number | null) => <Temperature value={v} threshold={threshold} /> },
    { title: t('healthCases.cases.openedAt'), dataIndex: 'openedAt', render: (v: string) => formatShanghai(v, 'dateHm') },
    { title: t('healthCases.cases.lastFollowUp'), dataIndex: 'lastFollowUpAt', render: (v: string | null) => formatShanghai(v, 'dateHm') },
    {
      title: t('healthCases.common.status'),
      key: 'status',
      render: (_v, r) => (
        <Flex gap={4} wrap>
          <CaseStatusTag value={r.status} />
          {r.outcome ? <Tag>{t(`healthCases.outcomes.${r.outcome}`)}</Tag> : null}
          {r.inQuarantine ? <Tag color="purple">{t('healthCases.cases.inQuarantine')}</Tag> : null}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_v, r) => (
        <Link to={`/health/cases/${r.id}`}>
          <Button size="small" icon={<EyeOutlined aria-hidden />}>
            {t('healthCases.cases.openCard')}
          </Button>
        </Link>
      ),
    },
  ];

  const totals = data?.totals;
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthCases.cases.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          {can('health.write') ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setOpening(true)} disabled={incident.data === null}>
              {t('healthCases.cases.openByHand')}
            </Button>
          ) : null}
          <Button icon={<DownloadOutlined aria-hidden />} loading={exporting} onClick={exportMasked}>
            {t('healthCases.cases.export')}
          </Button>
          {can('personal.unmask') ? (
            <Button icon={<DownloadOutlined aria-hidden />} danger onClick={() => setUnmasking(true)}>
              {t('healthCases.cases.exportUnmasked')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {incident.data === null ? <NoIncidentNote /> : incident.data ? <Typography.Text type="secondary">{t('healthCases.common.incident', { name: incident.data.name, start: incident.data.startDate })}</Typography.Text> : null}
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('healthCases.common.status')} htmlFor="cases-status">
          <Select
            id="cases-status"
            value={filter.status}
            onChange={(v) => setFilter('status', v)}
            allowClear
            placeholder={t('healthCases.common.all')}
            style={{ width: 120 }}
            options={CASE_STATUSES.map((s) => ({ value: s, label: t(`healthCases.caseStatuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('healthCases.common.reason')} htmlFor="cases-reason">
          <Select
            id="cases-reason"
            value={filter.reason}
            onChange={(v) => setFilter('reason', v)}
            allowClear
            placeholder={t('healthCases.common.all')}
            style={{ width: 150 }}
            options={CASE_REASONS.map((r) => ({ value: r, label: t(`healthCases.reasons.${r}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('healthCases.common.classification')} htmlFor="cases-classification">
          <Select
            id="cases-classification"
            value={filter.classification}
            onChange={(v) => setFilter('classification', v)}
            allowClear
            placeholder={t('healthCases.common.all')}
            style={{ width: 120 }}
            options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`healthCases.classifications.${c}`) }))}
          />
        </Form.Item>
        {can('access.read') ? (
          <Form.Item label={t('healthCases.common.site')} htmlFor="cases-site">
            <SiteSelect id="cases-site" sites={sites.data?.rows ?? []} value={filter.site} onChange={(v) => setFilter('site', v)} allowClear placeholder={t('healthCases.common.allSites')} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('healthCases.cases.period')} htmlFor="cases-period">
          <DateRangeField
            id={{ start: 'cases-period' }}
            allowEmpty={[true, true]}
            value={[filter.from ? dayjs(filter.from) : null, filter.to ? dayjs(filter.to) : null]}
            onChange={(range) => setMany({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          />
        </Form.Item>
        <Form.Item label={t('healthCases.cases.search')} htmlFor="cases-q">
          <Input.Search id="cases-q" value={search} onChange={(e) => setSearch(e.target.value)} onSearch={(v) => setFilter('q', v.trim())} allowClear placeholder={t('healthCases.cases.searchHint')} style={{ width: 200 }} maxLength={32} />
        </Form.Item>
        {anyFilter ? (
          <Form.Item>
            <Button
              onClick={() => {
                setSearch('');
                setMany(Object.fromEntries(filterKeys.map((k) => [k, null])));
              }}
            >
              {t('common.reset')}
            </Button>
          </Form.Item>
        ) : null}
      </Form>
      {ledger.isError ? (
        <LoadError error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} sm={8} md={4}>
              <Panel size="small">
                <Statistic title={t('healthCases.cases.totalCases')} value={totals?.cases ?? '—'} loading={ledger.isPending} />
              </Panel>
            </Col>
            <Col xs={12} sm={8} md={4}>
              <Panel size="small">
                <Statistic title={t('healthCases.caseStatuses.open')} value={totals?.open ?? '—'} loading={ledger.isPending} styles={{ content: { color: '#1677ff' } }} />
              </Panel>
            </Col>
            <Col xs={12} sm={8} md={4}>
              <Panel size="small">
                <Statistic title={t('healthCases.caseStatuses.closed')} value={totals?.closed ?? '—'} loading={ledger.isPending} />
              </Panel>
            </Col>
            {CLASSIFICATIONS.filter((c) => c !== 'unclassified').map((c) => (
              <Col xs={12} sm={8} md={4} key={c}>
                <Panel size="small">
                  <Statistic
                    title={t(`healthCases.classifications.${c}`)}
                    value={totals?.byClassification[c] ?? 0}
                    loading={ledger.isPending}
                    styles={{ content: { color: c === 'confirmed' ? '#cf1322' : c === 'suspected' ? '#d46b08' : undefined } }}
                  />
                </Panel>
              </Col>
            ))}
          </Row>
          <Panel size="small" title={data ? t('healthCases.cases.chartTitle', { from: data.period.from, to: data.period.to }) : t('healthCases.cases.chartTitleEmpty')}>
            {data ? <DailyChart ledger={data} /> : <div style={{ height: 260 }} aria-busy />}
          </Panel>
          <Panel size="small">
            <Table<CaseRow>
              size="small"
              rowKey="id"
              loading={ledger.isFetching}
              dataSource={data?.rows ?? []}
              columns={columns}
              scroll={{ x: 'max-content' }}
              pagination={{
                current: filter.page,
                pageSize,
                total: data?.total ?? 0,
                showSizeChanger: false,
                hideOnSinglePage: true,
                showTotal: (total) => t('common.total', { total }),
                onChange: (p) => set('page', p > 1 ? String(p) : null),
              }}
              locale={{ emptyText: anyFilter ? t('healthCases.cases.emptyFiltered') : t('healthCases.cases.empty') }}
            />
          </Panel>
        </>
      )}
      <OpenCaseModal open={opening} onClose={() => setOpening(false)} />
      <UnmaskExportModal open={unmasking} onClose={() => setUnmasking(false)} filter={exportFilter} />
    </Flex>
  );
}
