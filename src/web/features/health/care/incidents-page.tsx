import { DeleteOutlined, EditOutlined, ExperimentOutlined, PoweroffOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Input, InputNumber, Modal, Select, Table, Tag, TimePicker, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError, PageSpin } from '../../../app/status-pages';
import { hasMessage } from '../../../app/i18n';
import type { healthCareZh } from '../../../i18n/health-care';
import { shanghaiToday, showFieldErrors, siteLabel } from '../../access/live-parts';
import { useSites } from '../../access/live-queries';
import { useUnits } from '../../units/queries';
import { useCareError } from './care-parts';
import { useActiveIncident, useCloseIncident, useCreateIncident, useIncidents, usePatchIncident, usePurgeIncident, usePurgeReports, type IncidentView, type PurgeReport } from './care-queries';

type Settings = IncidentView['settings'];
/** The settings a new incident starts with (the database's defaults, shown so that nobody has to guess). */
const defaultSettings: Settings = { declarationDueTime: '10:00', feverThresholdC: 37.3, followUpDays: 14, followUpPerDay: 2, travelLookbackDays: 15, retentionDays: 30 };
const statusColor = { active: 'red', closed: 'orange', purged: 'default' } satisfies Record<IncidentView['status'], string>;

function tableLabel(table: string, t: (key: `healthCare.incidents.tables.${keyof typeof healthCareZh.incidents.tables}`) => string): string {
  return hasMessage(`healthCare.incidents.tables.${table}`) ? t(`healthCare.incidents.tables.${table as keyof typeof healthCareZh.incidents.tables}`) : table;
}

/** A purge may run once the incident is closed and its retention has run out. */
const purgeDue = (i: IncidentView, now = Date.now()) => i.status === 'closed' && i.purgeDueAt !== null && Date.parse(i.purgeDueAt) <= now;

/**
 * 应急事件: emergency mode on and off. The active incident with its scope and settings; starting
 * one (only when none is active); changing its settings; closing it, which starts the retention
 * clock; and for closed incidents the purge of personal data: a dry run, the purge when due, the
 * reports.
 */
export function IncidentsPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const admin = can('health.admin');
  const active = useActiveIncident();
  const incidents = useIncidents();
  const [starting, setStarting] = useState(false);
  const [editing, setEditing] = useState<IncidentView | null>(null);
  const [closing, setClosing] = useState<IncidentView | null>(null);

  if (active.isPending) return <PageSpin />;
  if (active.isError) return <LoadError error={active.error} onRetry={() => void active.refetch()} />;
  const current = active.data;

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('healthCare.incidents.title')}
      </Typography.Title>
      {current ? (
        <Alert type="error" showIcon icon={<ThunderboltOutlined />} data-testid="emergency-on" title={t('healthCare.incidents.on', { name: current.name, date: current.startDate })} description={t('healthCare.incidents.onHint')} />
      ) : (
        <Alert
          type="info"
          showIcon
          title={t('healthCare.incidents.off')}
          description={t('healthCare.incidents.offHint')}
          action={
            admin && !starting ? (
              <Button type="primary" danger onClick={() => setStarting(true)}>
                {t('healthCare.incidents.start')}
              </Button>
            ) : undefined
          }
        />
      )}
      {current ? <ActiveCard incident={current} admin={admin} onEdit={() => setEditing(current)} onClose={() => setClosing(current)} /> : null}
      {starting && !current ? <StartCard onDone={() => setStarting(false)} /> : null}
      <Card size="small" title={t('healthCare.incidents.history')}>
        {incidents.isError ? (
          <LoadError error={incidents.error} onRetry={() => void incidents.refetch()} />
        ) : (
          <HistoryTable rows={incidents.data?.rows ?? []} loading={incidents.isPending} admin={admin} onEdit={setEditing} />
        )}
      </Card>
      <EditModal incident={editing} onClose={() => setEditing(null)} />
      <CloseModal incident={closing} onClose={() => setClosing(null)} />
    </Flex>
  );
}

function SettingsView({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
      <Descriptions.Item label={t('healthCare.incidents.settings.declarationDueTime')}>{settings.declarationDueTime}</Descriptions.Item>
      <Descriptions.Item label={t('healthCare.incidents.settings.feverThresholdC')}>{settings.feverThresholdC.toFixed(1)} °C</Descriptions.Item>
      <Descriptions.Item label={t('healthCare.incidents.settings.followUpDays')}>{t('healthCare.incidents.days', { count: settings.followUpDays })}</Descriptions.Item>
      <Descriptions.Item label={t('healthCare.incidents.settings.followUpPerDay')}>{t('healthCare.incidents.perDay', { count: settings.followUpPerDay })}</Descriptions.Item>
      <Descriptions.Item label={t('healthCare.incidents.settings.travelLookbackDays')}>{t('healthCare.incidents.days', { count: settings.travelLookbackDays })}</Descriptions.Item>
      <Descriptions.Item label={t('healthCare.incidents.settings.retentionDays')}>{t('healthCare.incidents.days', { count: settings.retentionDays })}</Descriptions.Item>
    </Descriptions>
  );
}

function ActiveCard({ incident: i, admin, onEdit, onClose }: { incident: IncidentView; admin: boolean; onEdit: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      data-testid="active-incident"
      title={
        <Flex gap={8} align="center" wrap>
          <span>{i.name}</span>
          <Tag color="red">{t('healthCare.incidents.statuses.active')}</Tag>
        </Flex>
      }
      extra={
        admin ? (
          <Flex gap={8} wrap>
            <Button size="small" icon={<EditOutlined aria-hidden />} onClick={onEdit}>
              {t('healthCare.incidents.edit')}
            </Button>
            <Button size="small" danger icon={<PoweroffOutlined aria-hidden />} onClick={onClose}>
              {t('healthCare.incidents.close')}
            </Button>
          </Flex>
        ) : undefined
      }
    >
      <Flex vertical gap={12}>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('healthCare.incidents.startDate')}>{i.startDate}</Descriptions.Item>
          <Descriptions.Item label={t('healthCare.incidents.createdAt')}>{formatDateTime(i.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('healthCare.incidents.sites')} span={2}>
            <Flex gap={4} wrap>
              {i.sites.length ? i.sites.map((s) => <Tag key={s.code}>{s.nameZh}</Tag>) : '—'}
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('healthCare.incidents.units')} span={2}>
            <Flex gap={4} wrap>
              {i.units.length ? i.units.map((u) => <Tag key={u.code}>{u.nameZh}</Tag>) : '—'}
            </Flex>
          </Descriptions.Item>
        </Descriptions>
        <SettingsView settings={i.settings} />
      </Flex>
    </Card>
  );
}

interface IncidentForm {
  name: string;
  startDate?: Dayjs;
  sites: string[];
  units: string[];
  declarationDueTime: Dayjs;
  feverThresholdC: number;
  followUpDays: number;
  followUpPerDay: number;
  travelLookbackDays: number;
  retentionDays: number;
}

const fieldMap: Record<string, string> = {
  name: 'name',
  startDate: 'startDate',
  sites: 'sites',
  units: 'units',
  declarationDueTime: 'declarationDueTime',
  feverThresholdC: 'feverThresholdC',
  followUpDays: 'followUpDays',
  followUpPerDay: 'followUpPerDay',
  travelLookbackDays: 'travelLookbackDays',
  retentionDays: 'retentionDays',
};

function settingsOf(v: IncidentForm): Settings {
  return {
    declarationDueTime: v.declarationDueTime.format('HH:mm'),
    feverThresholdC: v.feverThresholdC,
    followUpDays: v.followUpDays,
    followUpPerDay: v.followUpPerDay,
    travelLookbackDays: v.travelLookbackDays,
    retentionDays: v.retentionDays,
  };
}

/** The fields of an incident: name, (start), scope and settings; `closed` leaves only name and retention. */
function IncidentFields({ withStart, closed }: { withStart: boolean; closed: boolean }) {
  const { t, i18n } = useTranslation();
  const can = usePermission();
  const sites = useSites(can('access.read'));
  const units = useUnits({ enabled: can('unit.read') });
  const number = (name: keyof Settings, min: number, max: number, suffix: string, step = 1, precision = 0) => (
    <Form.Item name={name} label={t(`healthCare.incidents.settings.${name}`)} rules={[{ required: true, message: t('healthCare.incidents.settingRequired') }]}>
      <InputNumber<number> min={min} max={max} step={step} precision={precision} suffix={suffix} disabled={closed && name !== 'retentionDays'} style={{ width: 150 }} />
    </Form.Item>
  );
  return (
    <>
      <Form.Item name="name" label={t('healthCare.incidents.name')} rules={[{ required: true, whitespace: true, message: t('healthCare.incidents.nameRequired') }]}>
        <Input maxLength={100} placeholder={t('healthCare.incidents.namePlaceholder')} />
      </Form.Item>
      {withStart ? (
        <Form.Item name="startDate" label={t('healthCare.incidents.startDate')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
      ) : null}
      <Form.Item
        name="sites"
        label={t('healthCare.incidents.sites')}
        extra={t('healthCare.incidents.scopeHint')}
        dependencies={['units']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_r, v: string[] | undefined) => ((v?.length ?? 0) > 0 || ((getFieldValue('units') as string[] | undefined)?.length ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('healthCare.incidents.scopeRequired')))),
          }),
        ]}
      >
        <Select
          mode="multiple"
          disabled={closed}
          loading={sites.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          options={(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${siteLabel(s, i18n.language)} (${s.code})` }))}
        />
      </Form.Item>
      <Form.Item name="units" label={t('healthCare.incidents.units')}>
        <Select
          mode="multiple"
          disabled={closed}
          loading={units.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          options={(units.data ?? []).filter((u) => u.active).map((u) => ({ value: u.code, label: `${i18n.language === 'en-US' ? u.nameEn : u.nameZh} (${u.code})` }))}
        />
      </Form.Item>
      <Typography.Title level={5}>{t('healthCare.incidents.settingsTitle')}</Typography.Title>
      <Flex gap={8} wrap>
        <Form.Item name="declarationDueTime" label={t('healthCare.incidents.settings.declarationDueTime')} rules={[{ required: true, message: t('healthCare.incidents.settingRequired') }]}>
          <TimePicker format="HH:mm" minuteStep={5} allowClear={false} disabled={closed} />
        </Form.Item>
        {number('feverThresholdC', 35, 42, '°C', 0.1, 1)}
        {number('followUpDays', 1, 60, t('healthCare.incidents.daysUnit'))}
        {number('followUpPerDay', 1, 6, t('healthCare.incidents.timesUnit'))}
        {number('travelLookbackDays', 1, 60, t('healthCare.incidents.daysUnit'))}
        {number('retentionDays', 0, 3650, t('healthCare.incidents.daysUnit'))}
      </Flex>
    </>
  );
}

function StartCard({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const create = useCreateIncident();
  const [form] = Form.useForm<IncidentForm>();
  const [failure, setFailure] = useState<string | null>(null);
  const submit = (v: IncidentForm) => {
    setFailure(null);
    create.mutate(
      { name: v.name.trim(), startDate: (v.startDate ?? dayjs()).format('YYYY-MM-DD'), sites: v.sites ?? [], units: v.units ?? [], ...settingsOf(v) },
      {
        onSuccess: (i) => {
          void message.success(t('healthCare.incidents.started', { name: i.name }));
          onDone();
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, fieldMap)) setFailure(describe(e));
        },
      },
    );
  };
  return (
    <Card size="small" title={t('healthCare.incidents.start')}>
      <Form<IncidentForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ startDate: dayjs(shanghaiToday()), sites: [], units: [], ...defaultSettings, declarationDueTime: dayjs(defaultSettings.declarationDueTime, 'HH:mm') }}
      >
        <Typography.Paragraph type="secondary">{t('healthCare.incidents.startHint')}</Typography.Paragraph>
        <IncidentFields withStart closed={false} />
        {failure ? <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} /> : null}
        <Flex gap={8} justify="flex-end">
          <Button onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="primary" danger htmlType="submit" loading={create.isPending}>
            {t('healthCare.incidents.startOk')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

function EditModal({ incident, onClose }: { incident: IncidentView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const patch = usePatchIncident();
  const [form] = Form.useForm<IncidentForm>();
  const [failure, setFailure] = useState<string | null>(null);
  const closed = incident !== null && incident.status !== 'active';
  const submit = (v: IncidentForm) => {
    if (!incident) return;
    setFailure(null);
    const body = closed
      ? { version: incident.version, name: v.name.trim(), retentionDays: v.retentionDays }
      : { version: incident.version, name: v.name.trim(), sites: v.sites ?? [], units: v.units ?? [], ...settingsOf(v) };
    patch.mutate(
      { id: incident.id, body },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          onClose();
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, fieldMap)) setFailure(describe(e));
        },
      },
    );
  };
  return (
    <Modal
      open={incident !== null}
      title={incident ? t('healthCare.incidents.editTitle', { name: incident.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={patch.isPending}
      width={720}
      destroyOnHidden
    >
      {incident ? (
        <Form<IncidentForm>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            name: incident.name,
            sites: incident.sites.map((s) => s.code),
            units: incident.units.map((u) => u.code),
            ...incident.settings,
            declarationDueTime: dayjs(incident.settings.declarationDueTime, 'HH:mm'),
          }}
        >
          {closed ? <Alert type="info" showIcon title={t('healthCare.incidents.closedEdit')} style={{ marginBottom: 12 }} /> : <Typography.Paragraph type="secondary">{t('healthCare.incidents.editHint')}</Typography.Paragraph>}
          <IncidentFields withStart={false} closed={closed} />
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}

/** Switching emergency mode off: the name typed again, and what the close sets going. */
function CloseModal({ incident, onClose }: { incident: IncidentView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useCareError();
  const close = useCloseIncident();
  const [typed, setTyped] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const matches = incident !== null && typed.trim() === incident.name.trim();
  const dismiss = () => {
    setTyped('');
    setFailure(null);
    onClose();
  };
  return (
    <Modal
      open={incident !== null}
      title={incident ? t('healthCare.incidents.closeTitle', { name: incident.name }) : ''}
      onCancel={dismiss}
      onOk={() =>
        incident &&
        close.mutate(
          { id: incident.id, name: typed.trim() },
          {
            onSuccess: (i) => {
              void message.success(t('healthCare.incidents.closed', { name: i.name, date: formatDateTime(i.purgeDueAt).slice(0, 10) }));
              dismiss();
            },
            onError: (e) => setFailure(describe(e)),
          },
        )
      }
      okText={t('healthCare.incidents.close')}
      okButtonProps={{ danger: true, disabled: !matches }}
      cancelText={t('common.cancel')}
      confirmLoading={close.isPending}
      destroyOnHidden
    >
      {incident ? (
        <Flex vertical gap={8}>
          <Typography.Paragraph>{t('healthCare.incidents.closeHint', { days: incident.settings.retentionDays })}</Typography.Paragraph>
          <Typography.Text>{t('healthCare.incidents.typeName', { name: incident.name })}</Typography.Text>
          <Input aria-label={t('healthCare.incidents.name')} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={incident.name} autoComplete="off" />
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Flex>
      ) : null}
    </Modal>
  );
}

function HistoryTable({ rows, loading, admin, onEdit }: { rows: IncidentView[]; loading: boolean; admin: boolean; onEdit: (i: IncidentView) => void }) {
  const { t } = useTranslation();
  const columns: ColumnsType<IncidentView> = [
    { title: t('healthCare.incidents.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('healthCare.common.status'), dataIndex: 'status', render: (s: IncidentView['status']) => <Tag color={statusColor[s]}>{t(`healthCare.incidents.statuses.${s}`)}</Tag> },
    { title: t('healthCare.incidents.startDate'), dataIndex: 'startDate' },
    { title: t('healthCare.incidents.closedAt'), dataIndex: 'closedAt', render: (v: string | null) => formatDateTime(v).slice(0, 16) },
    {
      title: t('healthCare.incidents.purgeDueAt'),
      key: 'purgeDueAt',
      render: (_v, i) => (i.purgeDueAt ? <Typography.Text type={purgeDue(i) ? 'danger' : undefined}>{formatDateTime(i.purgeDueAt).slice(0, 16)}</Typography.Text> : '—'),
    },
    { title: t('healthCare.incidents.purgedAt'), dataIndex: 'purgedAt', render: (v: string | null) => formatDateTime(v).slice(0, 16) },
    ...(admin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, i: IncidentView) =>
              i.status === 'closed' ? (
                <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => onEdit(i)}>
                  {t('healthCare.incidents.editRetention')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Table<IncidentView>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={rows}
      columns={columns}
      scroll={{ x: 'max-content' }}
      pagination={false}
      expandable={admin ? { rowExpandable: (i) => i.status !== 'active', expandedRowRender: (i) => <PurgePanel incident={i} /> } : undefined}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('healthCare.incidents.none')} /> }}
    />
  );
}

/** The purge of a closed incident: the due date, a dry run's counts per table, the purge itself, and the reports. */
function PurgePanel({ incident: i }: { incident: IncidentView }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useCareError();
  const purge = usePurgeIncident();
  const reports = usePurgeReports(i.id);
  const [dry, setDry] = useState<PurgeReport | null>(null);
  const due = purgeDue(i);

  const dryRun = () => purge.mutate({ id: i.id, dryRun: true }, { onSuccess: setDry, onError: (e) => void message.error(describe(e)) });
  const purgeNow = () =>
    void modal.confirm({
      title: t('healthCare.incidents.purgeTitle', { name: i.name }),
      content: t('healthCare.incidents.purgeConfirm'),
      okText: t('healthCare.incidents.purgeNow'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        purge.mutateAsync({ id: i.id, dryRun: false }).then(
          (r) => void message.success(t('healthCare.incidents.purged', { total: r.total })),
          (e: unknown) => void message.error(describe(e)),
        ),
    });

  return (
    <Flex vertical gap={12} data-testid="purge-panel">
      <Typography.Text>
        {i.status === 'purged'
          ? t('healthCare.incidents.purgedOn', { date: formatDateTime(i.purgedAt) })
          : due
            ? t('healthCare.incidents.purgeIsDue', { date: formatDateTime(i.purgeDueAt) })
            : t('healthCare.incidents.purgeNotDue', { date: formatDateTime(i.purgeDueAt) })}
      </Typography.Text>
      {i.status === 'closed' ? (
        <Flex gap={8} wrap>
          <Button icon={<ExperimentOutlined aria-hidden />} loading={purge.isPending && purge.variables.dryRun} onClick={dryRun}>
            {t('healthCare.incidents.dryRun')}
          </Button>
          <Button danger type="primary" icon={<DeleteOutlined aria-hidden />} disabled={!due} onClick={purgeNow}>
            {t('healthCare.incidents.purgeNow')}
          </Button>
          {!due ? <Typography.Text type="secondary">{t('healthCare.incidents.purgeDisabledHint')}</Typography.Text> : null}
        </Flex>
      ) : null}
      {dry ? <CountsTable report={dry} title={t('healthCare.incidents.dryRunResult', { total: dry.total })} /> : null}
      <Typography.Text strong>{t('healthCare.incidents.reports')}</Typography.Text>
      {reports.isError ? (
        <LoadError error={reports.error} onRetry={() => void reports.refetch()} />
      ) : (
        <Table<PurgeReport>
          size="small"
          rowKey="id"
          loading={reports.isPending}
          dataSource={reports.data?.rows ?? []}
          pagination={false}
          expandable={{ expandedRowRender: (r) => <CountsTable report={r} /> }}
          columns={[
            { title: t('healthCare.incidents.runAt'), dataIndex: 'runAt', render: (v: string) => formatDateTime(v) },
            { title: t('healthCare.incidents.kind'), dataIndex: 'dryRun', render: (d: boolean) => (d ? <Tag>{t('healthCare.incidents.dryRunTag')}</Tag> : <Tag color="red">{t('healthCare.incidents.purgeTag')}</Tag>) },
            { title: t('healthCare.incidents.total'), dataIndex: 'total', align: 'right' },
            { title: t('healthCare.incidents.runBy'), dataIndex: 'runBy', render: (v: string | null) => v ?? t('healthCare.incidents.job') },
          ]}
          locale={{ emptyText: t('healthCare.incidents.noReports') }}
        />
      )}
    </Flex>
  );
}

function CountsTable({ report, title }: { report: PurgeReport; title?: string }) {
  const { t } = useTranslation();
  const rows = Object.entries(report.counts).map(([table, count]) => ({ table, count }));
  return (
    <Table<{ table: string; count: number }>
      size="small"
      rowKey="table"
      data-testid="purge-counts"
      title={title ? () => <Typography.Text strong>{title}</Typography.Text> : undefined}
      dataSource={rows}
      pagination={false}
      columns={[
        { title: t('healthCare.incidents.table'), dataIndex: 'table', render: (v: string) => <span>{tableLabel(v, t)} <Typography.Text type="secondary" code style={{ fontSize: 12 }}>{v}</Typography.Text></span> },
        { title: t('healthCare.incidents.rows'), dataIndex: 'count', align: 'right' },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>{t('healthCare.incidents.total')}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            {report.total}
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
