import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Button, Card, Col, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Row, Statistic, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Chart, type ChartOption, escapeHtml } from '../../../app/charts';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useTabParam } from '../../../app/use-tab-param';
import { showFieldErrors } from '../../access/live-parts';
import { formatYuan, shanghaiToday, useSupportError } from './support-parts';
import { useCreateDonation, useDonations, type Donation, type DonationList } from './support-queries';
import { VolunteersTab } from './volunteers-tab';

const tabs = ['donations', 'volunteers'] as const;

interface DonationForm {
  donor: string;
  amount: string | null;
  date: Dayjs;
  purpose?: string;
  note?: string;
}

function AddDonationModal({ open, onClose, purposes }: { open: boolean; onClose: () => void; purposes: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [form] = Form.useForm<DonationForm>();
  const create = useCreateDonation();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (v: DonationForm) => {
    setFailure(null);
    create.mutate(
      { donor: v.donor.trim(), amount: v.amount ?? '', date: v.date.format('YYYY-MM-DD'), purpose: v.purpose?.trim() || null, note: v.note?.trim() || null },
      {
        onSuccess: (d) => {
          void message.success(t('healthSupport.donations.created', { donor: d.donor, amount: formatYuan(d.amount) }));
          form.resetFields();
          onClose();
        },
        onError: (error) => {
          if (!showFieldErrors(form, error, { donor: 'donor', amount: 'amount', date: 'date', purpose: 'purpose', note: 'note' })) setFailure(describe(error));
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('healthSupport.donations.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<DonationForm> form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs(shanghaiToday()) }}>
        <Form.Item name="donor" label={t('healthSupport.donations.donor')} extra={t('healthSupport.donations.donorHint')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthSupport.donations.donor') }) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="amount" label={t('healthSupport.donations.amount')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.donations.amount') }) }]} style={{ flex: 1, minWidth: 180 }}>
            <InputNumber<string> stringMode min="0.01" max="999999999999.99" precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="date" label={t('healthSupport.common.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
        </Flex>
        <Form.Item name="purpose" label={t('healthSupport.donations.purpose')}>
          <AutoComplete options={purposes.map((p) => ({ value: p }))} maxLength={200} placeholder={t('healthSupport.donations.purposePlaceholder')} />
        </Form.Item>
        <Form.Item name="note" label={t('healthSupport.common.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

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
            <DatePicker.RangePicker
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
                <Card size="small">
                  <Statistic title={t('healthSupport.donations.count')} value={totals?.count ?? 0} loading={!totals} valueRender={() => <span data-testid="donations-count">{totals?.count ?? 0}</span>} />
                </Card>
                <Card size="small">
                  <Statistic
                    title={t('healthSupport.donations.total')}
                    value={totals?.amount ?? '0.00'}
                    loading={!totals}
                    valueRender={() => <span data-testid="donations-amount">{formatYuan(totals?.amount ?? '0.00')}</span>}
                  />
                </Card>
              </Flex>
            </Col>
            <Col xs={24} md={16}>
              <Card size="small" title={t('healthSupport.donations.byPurpose')} style={{ height: '100%' }}>
                {totals ? <PurposeChart byPurpose={totals.byPurpose} /> : null}
              </Card>
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
