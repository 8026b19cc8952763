import { CheckOutlined, CloseOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Drawer, Flex, Form, Grid, Input, Modal, Select, Switch, Table, Tag, TimePicker, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { formatShanghai, PersonPicker, shanghaiInstant, shanghaiToday, showFieldErrors, siteLabel, SiteSelect } from './live-parts';
import { passQrUrl, useCreateVisit, useDecideVisit, useMyPerson, useSites, useVisits, type CreateVisitBody, type Visit, type VisitStatus } from './live-queries';

type IdType = NonNullable<Extract<CreateVisitBody['visitor'], { name: string }>['idType']>;
// The server's lists, spelled out here so that the page does not bundle server code (the records keep them complete).
const statusColor: Record<VisitStatus, string> = { pending: 'gold', approved: 'green', rejected: 'red', cancelled: 'default' };
const VISIT_STATUSES = Object.keys(statusColor) as VisitStatus[];
const ID_TYPES = Object.keys({ 'resident-id': 1, passport: 1, 'hk-macao-permit': 1, 'taiwan-permit': 1, 'foreigner-permit': 1, other: 1 } satisfies Record<IdType, 1>) as IdType[];

interface VisitForm {
  visitorName: string;
  idType: IdType;
  idNumber?: string;
  phone?: string;
  host?: string | string[] | null;
  site?: string;
  date: Dayjs;
  window: [Dayjs, Dayjs];
  purpose?: string;
  plate?: string;
}

const fieldMap: Record<string, string> = {
  visitor: 'visitorName',
  'visitor.name': 'visitorName',
  'visitor.idType': 'idType',
  'visitor.idNumber': 'idNumber',
  'visitor.phone': 'phone',
  host: 'host',
  site: 'site',
  startsAt: 'window',
  endsAt: 'window',
  purpose: 'purpose',
  plate: 'plate',
};

function isVisitStatus(v: string | null): v is VisitStatus {
  return v !== null && Object.hasOwn(statusColor, v);
}

/** The pre-registration form (访客预约登记): the visitor, the host, the site and the time window. */
function RegisterDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<VisitForm>();
  const create = useCreateVisit();
  const sites = useSites(can('access.read'));
  const me = useMyPerson();
  const myCode = me.data?.person?.code;
  const pickPeople = can('person.read');
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (v: VisitForm) => {
    setFailure(null);
    const date = v.date.format('YYYY-MM-DD');
    const host = Array.isArray(v.host) ? v.host[0] : v.host;
    const body: CreateVisitBody = {
      visitor: {
        name: v.visitorName.trim(),
        ...(v.idNumber?.trim() ? { idType: v.idType, idNumber: v.idNumber.trim() } : {}),
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      },
      host: (host ?? '').trim(),
      site: (v.site ?? '').trim(),
      startsAt: shanghaiInstant(date, v.window[0].format('HH:mm')),
      endsAt: shanghaiInstant(date, v.window[1].format('HH:mm')),
      purpose: v.purpose?.trim() ?? '',
      plate: v.plate?.trim() ? v.plate.trim().toUpperCase() : null,
    };
    create.mutate(body, {
      onSuccess: (visit) => {
        void message.success(t('accessLive.visits.registered', { number: visit.number }));
        form.resetFields();
        onClose();
      },
      onError: (error) => {
        if (!showFieldErrors(form, error, fieldMap)) setFailure(describeError(error));
      },
    });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('accessLive.visits.register')}
      size={screens.md ? 520 : '100%'}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="flex-end">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('accessLive.visits.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<VisitForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ idType: 'resident-id', date: dayjs(shanghaiToday()), window: [dayjs('09:00', 'HH:mm'), dayjs('17:00', 'HH:mm')], host: myCode }}
      >
        <Typography.Title level={5}>{t('accessLive.visits.visitor')}</Typography.Title>
        <Form.Item name="visitorName" label={t('accessLive.visits.visitorName')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('accessLive.visits.visitorName') }) }]}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="idType" label={t('accessLive.visits.idType')} style={{ minWidth: 150 }}>
            <Select options={ID_TYPES.map((x) => ({ value: x, label: t(`accessLive.idTypes.${x}`) }))} />
          </Form.Item>
          <Form.Item name="idNumber" label={t('accessLive.visits.idNumber')} style={{ flex: 1, minWidth: 200 }}>
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
        </Flex>
        <Form.Item name="phone" label={t('accessLive.visits.phone')}>
          <Input maxLength={30} inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Typography.Title level={5}>{t('accessLive.visits.visit')}</Typography.Title>
        <Form.Item
          name="host"
          label={t('accessLive.visits.host')}
          extra={pickPeople ? undefined : t('accessLive.visits.hostCodeHint')}
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('accessLive.visits.host') }) }]}
        >
          {pickPeople ? <PersonPicker extra={me.data?.person ? [me.data.person] : []} /> : <Input maxLength={32} />}
        </Form.Item>
        <Form.Item name="site" label={t('accessLive.common.site')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('accessLive.common.site') }) }]}>
          {can('access.read') ? (
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={sites.isPending}
              options={(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${siteLabel(s, i18n.language)} (${s.code})` }))}
            />
          ) : (
            <Input maxLength={40} />
          )}
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="date" label={t('accessLive.common.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') < shanghaiToday()} />
          </Form.Item>
          <Form.Item
            name="window"
            label={t('accessLive.visits.window')}
            rules={[
              { required: true, message: t('common.fieldRequired', { field: t('accessLive.visits.window') }) },
              { validator: (_r, w?: [Dayjs, Dayjs]) => (!w || w[1].format('HH:mm') > w[0].format('HH:mm') ? Promise.resolve() : Promise.reject(new Error(t('accessLive.visits.windowOrder')))) },
            ]}
          >
            <TimePicker.RangePicker format="HH:mm" minuteStep={5} order={false} />
          </Form.Item>
        </Flex>
        <Form.Item name="purpose" label={t('accessLive.visits.purpose')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="plate" label={t('accessLive.common.plate')}>
          <Input maxLength={20} placeholder={t('accessLive.vehicles.platePlaceholder')} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Drawer>
  );
}

/** 访客预约: pre-register visitors, approve or reject them (the host or an access administrator), and show the pass QR of an approved visit. */
export function VisitsPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const describeError = useErrorMessage();
  const can = usePermission();
  const canRead = can('access.read');
  const canWrite = can('access.write');
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const statusParam = params.get('status');
  const status = isVisitStatus(statusParam) ? statusParam : undefined;
  const mine = params.get('mine') === 'true';
  const filter = { site: params.get('site') ?? undefined, status, date: params.get('date') ?? undefined, mine };
  const visits = useVisits(filter);
  const hosted = useVisits({ mine: true });
  const sites = useSites(canRead);
  const decide = useDecideVisit();
  const [registering, setRegistering] = useState(false);
  const [qrOf, setQrOf] = useState<Visit | null>(null);
  const hostedIds = useMemo(() => new Set((hosted.data?.rows ?? []).map((v) => v.id)), [hosted.data]);

  const approve = (v: Visit) =>
    decide.mutate(
      { id: v.id, decision: 'approve' },
      { onSuccess: (done) => void message.success(t('accessLive.visits.approved', { number: done.number })), onError: (e) => void message.error(describeError(e)) },
    );
  const reject = (v: Visit) =>
    void modal.confirm({
      title: t('accessLive.visits.reject'),
      content: t('accessLive.visits.rejectConfirm', { name: v.visitor.name, number: v.number }),
      okText: t('accessLive.visits.reject'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        decide.mutateAsync({ id: v.id, decision: 'reject' }).then(
          () => void message.success(t('accessLive.visits.rejected')),
          (e: unknown) => void message.error(describeError(e)),
        ),
    });

  const columns: ColumnsType<Visit> = [
    { title: t('accessLive.visits.number'), dataIndex: 'number', width: 70 },
    {
      title: t('accessLive.visits.visitor'),
      key: 'visitor',
      render: (_v, r) => (
        <Flex vertical>
          <Typography.Text strong>{r.visitor.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[r.visitor.idNumber, r.visitor.phone].filter(Boolean).join(' · ') || r.visitor.code}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('accessLive.visits.host'), key: 'host', render: (_v, r) => `${r.host.name} (${r.host.code})` },
    { title: t('accessLive.common.site'), key: 'site', render: (_v, r) => siteLabel(r.site, i18n.language) },
    {
      title: t('accessLive.visits.window'),
      key: 'window',
      render: (_v, r) => {
        const from = formatShanghai(r.startsAt, 'dateHm');
        const to = formatShanghai(r.endsAt, 'dateHm');
        return `${from} – ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to}`;
      },
    },
    { title: t('accessLive.visits.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('accessLive.common.plate'), dataIndex: 'plate', render: (v: string | null) => v ?? '—' },
    { title: t('accessLive.visits.status'), dataIndex: 'status', render: (s: VisitStatus) => <Tag color={statusColor[s]}>{t(`accessLive.visits.statuses.${s}`)}</Tag> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_v, r) => (
        <Flex gap={4} wrap>
          {r.status === 'pending' && (canWrite || hostedIds.has(r.id)) ? (
            <>
              <Button size="small" type="primary" icon={<CheckOutlined aria-hidden />} loading={decide.isPending && decide.variables.id === r.id} onClick={() => approve(r)}>
                {t('accessLive.visits.approve')}
              </Button>
              <Button size="small" danger icon={<CloseOutlined aria-hidden />} onClick={() => reject(r)}>
                {t('accessLive.visits.reject')}
              </Button>
            </>
          ) : null}
          {r.status === 'approved' && r.passId ? (
            <Button size="small" icon={<QrcodeOutlined aria-hidden />} onClick={() => setQrOf(r)}>
              {t('accessLive.visits.showQr')}
            </Button>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessLive.visits.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setRegistering(true)}>
          {t('accessLive.visits.register')}
        </Button>
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        {canRead ? (
          <Form.Item label={t('accessLive.common.site')} htmlFor="visits-site">
            <SiteSelect id="visits-site" sites={sites.data?.rows ?? []} value={filter.site} onChange={(v) => set('site', v)} allowClear placeholder={t('accessLive.common.allSites')} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('accessLive.visits.status')} htmlFor="visits-status">
          <Select<VisitStatus>
            id="visits-status"
            value={status}
            onChange={(v) => set('status', v)}
            allowClear
            placeholder={t('accessLive.visits.allStatuses')}
            style={{ width: 140 }}
            options={VISIT_STATUSES.map((s) => ({ value: s, label: t(`accessLive.visits.statuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('accessLive.common.date')} htmlFor="visits-date">
          <DatePicker id="visits-date" value={filter.date ? dayjs(filter.date) : null} onChange={(d) => set('date', d ? d.format('YYYY-MM-DD') : null)} />
        </Form.Item>
        {canRead ? (
          <Form.Item label={t('accessLive.visits.mine')} htmlFor="visits-mine">
            <Switch id="visits-mine" checked={mine} onChange={(on) => set('mine', on ? 'true' : null)} />
          </Form.Item>
        ) : null}
      </Form>
      {visits.isError ? (
        <LoadError error={visits.error} onRetry={() => void visits.refetch()} />
      ) : (
        <Card size="small">
          <Table<Visit>
            size="small"
            rowKey="id"
            loading={visits.isPending}
            dataSource={visits.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            locale={{ emptyText: t('accessLive.visits.empty') }}
          />
        </Card>
      )}
      <RegisterDrawer open={registering} onClose={() => setRegistering(false)} />
      <Modal open={qrOf !== null} onCancel={() => setQrOf(null)} footer={null} title={t('accessLive.visits.qrTitle')} destroyOnHidden width={360}>
        {qrOf?.passId ? (
          <Flex vertical align="center" gap={8}>
            <img src={passQrUrl(qrOf.passId)} alt={t('accessLive.visits.qrAlt', { name: qrOf.visitor.name })} width={240} height={240} style={{ imageRendering: 'pixelated' }} />
            <Typography.Text strong>{qrOf.visitor.name}</Typography.Text>
            <Typography.Text>{siteLabel(qrOf.site, i18n.language)}</Typography.Text>
            <Typography.Text type="secondary">
              {formatShanghai(qrOf.startsAt, 'dateHm')} – {formatShanghai(qrOf.endsAt, 'dateHm')}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accessLive.visits.qrHint')}
            </Typography.Text>
          </Flex>
        ) : null}
      </Modal>
    </Flex>
  );
}
