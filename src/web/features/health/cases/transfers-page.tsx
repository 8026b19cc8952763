import { CarOutlined, CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Drawer, Flex, Form, Grid, Input, Popconfirm, Row, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { formatShanghai, PersonPicker, shanghaiInstant, shanghaiToday, showFieldErrors } from '../../access/live-parts';
import { NoIncidentNote, useHealthError, useSetSearchParams } from './cases-parts';
import { useActiveIncident, useCreateTransfer, useDisinfect, useTransfers, type Transfer } from './cases-queries';

interface TripForm {
  at: Dayjs;
  vehicle: string;
  driver: string;
  from: string;
  to: string;
  people?: string | string[] | null;
  disinfected: boolean;
  note?: string;
}

const fieldMap: Record<string, string> = { at: 'at', vehicle: 'vehicle', driver: 'driver', from: 'from', to: 'to', people: 'people', note: 'note' };

/** Now as Beijing wall-clock time (the picker shows it as is; shanghaiInstant reads it back). */
function shanghaiNow(): Dayjs {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
  return dayjs(`${shanghaiToday()}T${parts}`);
}

/** 登记转运: when, the vehicle and driver, from and to, the people carried (by code), disinfection. */
function TripDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<TripForm>();
  const create = useCreateTransfer();
  const [failure, setFailure] = useState<string | null>(null);
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.fieldRequired', { field }) }];
  const submit = (v: TripForm) => {
    setFailure(null);
    const people = Array.isArray(v.people) ? v.people : v.people ? [v.people] : [];
    create.mutate(
      {
        at: shanghaiInstant(v.at.format('YYYY-MM-DD'), v.at.format('HH:mm')),
        vehicle: v.vehicle.trim(),
        driver: v.driver.trim(),
        from: v.from.trim(),
        to: v.to.trim(),
        people,
        disinfected: v.disinfected,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      },
      {
        onSuccess: (trip) => {
          void message.success(t('healthCases.transfers.added', { count: trip.personCount }));
          form.resetFields();
          onClose();
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, fieldMap)) setFailure(describe(e));
        },
      },
    );
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('healthCases.transfers.add')}
      size={screens.md ? 520 : '100%'}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="flex-end">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<TripForm> form={form} layout="vertical" onFinish={submit} initialValues={{ at: shanghaiNow(), disinfected: false }}>
        <Form.Item name="at" label={t('healthCases.transfers.at')} rules={[{ required: true }]} extra={t('healthCases.transfers.atHint')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') > shanghaiToday()} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="vehicle" label={t('healthCases.transfers.vehicle')} rules={required(t('healthCases.transfers.vehicle'))} style={{ flex: 1, minWidth: 180 }}>
            <Input maxLength={100} placeholder={t('healthCases.transfers.vehicleHint')} />
          </Form.Item>
          <Form.Item name="driver" label={t('healthCases.transfers.driver')} rules={required(t('healthCases.transfers.driver'))} style={{ flex: 1, minWidth: 160 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Flex>
        <Form.Item name="from" label={t('healthCases.transfers.from')} rules={required(t('healthCases.transfers.from'))}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="to" label={t('healthCases.transfers.to')} rules={required(t('healthCases.transfers.to'))}>
          <Input maxLength={200} placeholder={t('healthCases.transfers.toHint')} />
        </Form.Item>
        <Form.Item
          name="people"
          label={t('healthCases.transfers.people')}
          extra={t('healthCases.transfers.peopleHint')}
          rules={[
            { required: true, message: t('common.fieldRequired', { field: t('healthCases.transfers.people') }) },
            { validator: (_r, v?: string[] | string | null) => (Array.isArray(v) && v.length > 20 ? Promise.reject(new Error(t('healthCases.transfers.tooMany'))) : Promise.resolve()) },
          ]}
        >
          <PersonPicker multiple />
        </Form.Item>
        <Form.Item name="disinfected" label={t('healthCases.transfers.disinfectedNow')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="note" label={t('healthCases.common.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Drawer>
  );
}

/** 转运: the trips with their people and disinfection, and the counts of trips and person-trips (period and incident). */
export function TransfersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const can = usePermission();
  const [params] = useSearchParams();
  const setMany = useSetSearchParams();
  const filter = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined };
  const transfers = useTransfers(filter);
  const incident = useActiveIncident();
  const disinfect = useDisinfect();
  const [adding, setAdding] = useState(false);
  const totals = transfers.data?.totals;

  const columns: ColumnsType<Transfer> = [
    { title: t('healthCases.transfers.at'), dataIndex: 'at', render: (v: string) => formatShanghai(v, 'dateHm'), width: 150 },
    {
      title: t('healthCases.transfers.vehicle'),
      key: 'vehicle',
      render: (_v, r) => (
        <Flex vertical>
          <Typography.Text strong>{r.vehicle}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.driver}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('healthCases.transfers.route'), key: 'route', render: (_v, r) => t('healthCases.timeline.fromTo', { from: r.from, to: r.to }) },
    {
      title: t('healthCases.transfers.people'),
      key: 'people',
      render: (_v, r) => (
        <Flex gap={4} wrap>
          {r.people.map((p) => (
            <Tag key={p.code}>
              {p.name} {p.code}
            </Tag>
          ))}
          {r.personCount > r.people.length ? <Tag>{t('healthCases.transfers.others', { count: r.personCount - r.people.length })}</Tag> : null}
        </Flex>
      ),
    },
    { title: t('healthCases.transfers.personCount'), dataIndex: 'personCount', align: 'right' },
    {
      title: t('healthCases.transfers.disinfected'),
      key: 'disinfected',
      render: (_v, r) =>
        r.disinfected ? (
          <Tag color="green">{t('healthCases.transfers.disinfectedAt', { at: formatShanghai(r.disinfectedAt, 'dateHm') })}</Tag>
        ) : can('health.write') ? (
          <Popconfirm
            title={t('healthCases.transfers.disinfectConfirm', { vehicle: r.vehicle })}
            okText={t('healthCases.transfers.disinfect')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              disinfect.mutateAsync(r.id).then(
                () => void message.success(t('healthCases.transfers.disinfectedOk')),
                (e: unknown) => void message.error(describe(e)),
              )
            }
          >
            <Button size="small" danger icon={<CheckOutlined aria-hidden />}>
              {t('healthCases.transfers.disinfect')}
            </Button>
          </Popconfirm>
        ) : (
          <Tag color="red">{t('healthCases.transfers.notDisinfected')}</Tag>
        ),
    },
    { title: t('healthCases.common.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—', ellipsis: true },
  ];

  const stat = (title: string, value: number | undefined, testId: string) => (
    <Col xs={12} md={6}>
      <Card size="small">
        <Statistic title={title} value={value ?? '—'} loading={transfers.isPending} data-testid={testId} styles={{ content: { fontSize: 32 } }} />
      </Card>
    </Col>
  );
  const periodLabel = filter.from || filter.to ? `${filter.from ?? '…'} – ${filter.to ?? '…'}` : t('healthCases.transfers.allPeriod');

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          <CarOutlined aria-hidden /> {t('healthCases.transfers.title')}
        </Typography.Title>
        {can('health.write') ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding(true)} disabled={incident.data === null}>
            {t('healthCases.transfers.add')}
          </Button>
        ) : null}
      </Flex>
      {incident.data === null ? <NoIncidentNote /> : null}
      <Form layout="inline">
        <Form.Item label={t('healthCases.transfers.period')} htmlFor="transfers-period">
          <DatePicker.RangePicker
            id={{ start: 'transfers-period' }}
            allowEmpty={[true, true]}
            value={[filter.from ? dayjs(filter.from) : null, filter.to ? dayjs(filter.to) : null]}
            onChange={(range) => setMany({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
          />
        </Form.Item>
      </Form>
      {transfers.isError ? (
        <LoadError error={transfers.error} onRetry={() => void transfers.refetch()} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {stat(t('healthCases.transfers.periodTrips', { period: periodLabel }), totals?.period.trips, 'period-trips')}
            {stat(t('healthCases.transfers.periodPersonTrips', { period: periodLabel }), totals?.period.personTrips, 'period-person-trips')}
            {stat(t('healthCases.transfers.incidentTrips'), totals?.incident?.trips, 'incident-trips')}
            {stat(t('healthCases.transfers.incidentPersonTrips'), totals?.incident?.personTrips, 'incident-person-trips')}
          </Row>
          <Card size="small">
            <Table<Transfer>
              size="small"
              rowKey="id"
              loading={transfers.isFetching}
              dataSource={transfers.data?.rows ?? []}
              columns={columns}
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
              locale={{ emptyText: can('health.write') ? t('healthCases.transfers.emptyWrite') : t('healthCases.transfers.empty') }}
            />
          </Card>
        </>
      )}
      <TripDrawer open={adding} onClose={() => setAdding(false)} />
    </Flex>
  );
}
