import { PlusOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Flex, Form, Row, Statistic, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Chart, type ChartOption, escapeHtml } from '../../../app/charts';
import { DateRangeField } from '../../../app/date-fields';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { onDemand } from '../../../app/on-demand';
import { Panel } from '../../../app/panel';
import { useTabParam } from '../../../app/use-tab-param';
import { formatYuan } from './support-parts';
import { useDonations, type Donation, type DonationList } from './support-queries';

const tabs = ['donations', 'volunteers'] as const;

// The form (number input, date picker, autocomplete) loads when the dialog first opens.
// The volunteers tab loads when first opened.
const VolunteersTab = onDemand(async () => (await import(/* on demand */ './volunteers-tab')).VolunteersTab, () => true);
const AddDonationModal = onDemand(async () => (await import(/* on demand */ './donation-modal')).AddDonationModal, (props) => props.open);

/** The amounts by purpose, largest on top (yuan; the labels carry the exact text). */
function PurposeChart({ byPurpose }: { byPurpose: DonationList['totals']['byPurpose'] }) {
  const { t } = useTranslation();
  if (byPurpose.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthSupport.donations.empty')} />;
  const rows = [...byPurpose].sort((a, b) => Number(a.amount) - Number(b.amount));
  const label = (p: string | null) => p ?? t('healthSupport.donations.noPurpose');
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 96, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', formatter: (x: unknown) => { const r = rows[(x as { dataIndex: number }).dataIndex]; return r ? `${escapeHtml(label(r.purpose))}<br/>${formatYuan(r.amount)} · ${t('healthSupport.donations.countLine', { count: r.count })}` : ''; } },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `¥${v}` } },
    yAxis: { type: 'category', data: rows.map((r) => label(r.purpose)), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: rows.map((r) => Number(r.amount)),
        itemStyle: { color: '#d4380d' },
        label: { show: true, position: 'right', formatter: (x: unknown) => { const r = rows[(x as { dataIndex: number }).dataIndex]; return r ? formatYuan(r.amount) : ''; } },
      },
    ],
  };
  return <Chart option={option} height={Math.max(120, rows.length * 32 + 24)} label={t('healthSupport.donations.chartLabel')} />;
}

function DonationsTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const donations = useDonations(from, to);
  const [adding, setAdding] = useState(false);
  const setRange = (start: string | undefined, end: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [k, v] of [['from', start], ['to', end]] as const) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const columns: ColumnsType<Donation> = [
    { title: t('healthSupport.common.date'), dataIndex: 'date', width: 110 },
    { title: t('healthSupport.donations.donor'), dataIndex: 'donor' },
    { title: t('healthSupport.donations.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Typography.Text strong className="num">{formatYuan(v)}</Typography.Text> },
    { title: t('healthSupport.donations.purpose'), dataIndex: 'purpose', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.common.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.donations.incident'), key: 'incident', render: (_v, d) => d.incident?.name ?? '—' },
    { title: t('healthSupport.common.by'), key: 'by', render: (_v, d) => `${d.createdBy ?? '—'} · ${formatDateTime(d.createdAt)}` },
  ];

  const totals = donations.data?.totals;
  const purposes = [...new Set((totals?.byPurpose ?? []).map((p) => p.purpose).filter((p): p is string => p !== null))];
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('healthSupport.donations.range')}>
            <DateRangeField
              allowEmpty={[true, true]}
              value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
              onChange={(range) => setRange(range?.[0]?.format('YYYY-MM-DD'), range?.[1]?.format('YYYY-MM-DD'))}
            />
          </Form.Item>
        </Form>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)}>
            {t('healthSupport.donations.add')}
          </Button>
        ) : null}
      </Flex>
      {donations.isError ? (
        <LoadError error={donations.error} onRetry={() => void donations.refetch()} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={24} md={8}>
              <Flex vertical gap={12} style={{ height: '100%' }}>
                <Panel size="small">
                  <Statistic title={t('healthSupport.donations.count')} value={totals?.count ?? 0} loading={!totals} valueRender={() => <span data-testid="donations-count">{totals?.count ?? 0}</span>} />
                </Panel>
                <Panel size="small">
                  <Statistic
                    title={t('healthSupport.donations.total')}
                    value={totals?.amount ?? '0.00'}
                    loading={!totals}
                    valueRender={() => <span data-testid="donations-amount">{formatYuan(totals?.amount ?? '0.00')}</span>}
                  />
                </Panel>
              </Flex>
            </Col>
            <Col xs={24} md={16}>
              <Panel size="small" title={t('healthSupport.donations.byPurpose')} style={{ height: '100%' }}>
                {totals ? <PurposeChart byPurpose={totals.byPurpose} /> : null}
              </Panel>
            </Col>
          </Row>
          <Table<Donation>
            size="small"
            rowKey="id"
            loading={donations.isPending}
            dataSource={donations.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            locale={{ emptyText: t(canWrite ? 'healthSupport.donations.emptyWrite' : 'healthSupport.donations.empty') }}
          />
        </>
      )}
      <AddDonationModal open={adding} onClose={() => setAdding(false)} purposes={purposes} />
    </Flex>
  );
}

/** 捐款与志愿者: donations with exact totals and by purpose; the volunteers and their tasks. */
export function DonationsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const canWrite = can('health.write');
  const [tab, setTab] = useTabParam(tabs);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('healthSupport.donations.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'donations', label: t('healthSupport.donations.tab'), children: <DonationsTab canWrite={canWrite} /> },
          { key: 'volunteers', label: t('healthSupport.volunteers.tab'), children: <VolunteersTab canWrite={canWrite} /> },
        ]}
      />
    </Flex>
  );
}
