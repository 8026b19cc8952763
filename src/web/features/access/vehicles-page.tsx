import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useErrorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useSetSearchParam } from '../../app/use-search-param';
import { PersonPicker, showFieldErrors, siteLabel, SiteSelect, sortedSites } from './live-parts';
import { useSaveVehicle, useSites, useVehicles, type Vehicle } from './live-queries';

type VehicleKind = Vehicle['kind'];
// The server's list, spelled out so that the page does not bundle server code (the record keeps it complete).
const VEHICLE_KINDS = Object.keys({ car: 1, truck: 1, bus: 1, ambulance: 1, other: 1 } satisfies Record<VehicleKind, 1>) as VehicleKind[];

interface VehicleForm {
  plate: string;
  owner?: string | string[] | null;
  kind: VehicleKind;
  note?: string;
  sites: { site?: string; validTo?: Dayjs | null }[];
}

const fieldMap: Record<string, string> = { plate: 'plate', owner: 'owner', kind: 'kind', note: 'note', sites: 'sites' };

function VehicleModal({ vehicle, open, onClose }: { vehicle: Vehicle | null; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<VehicleForm>();
  const sites = useSites();
  const save = useSaveVehicle();
  const [failure, setFailure] = useState<string | null>(null);
  const siteOptions = sortedSites(sites.data?.rows ?? []).map((s) => ({ value: s.code, label: `${siteLabel(s, i18n.language)} (${s.code})` }));

  const submit = (v: VehicleForm) => {
    setFailure(null);
    const owner = (Array.isArray(v.owner) ? v.owner[0] : v.owner) ?? null;
    const chosen = v.sites.filter((s): s is { site: string; validTo?: Dayjs | null } => Boolean(s.site)).map((s) => ({ site: s.site, validTo: s.validTo ? s.validTo.format('YYYY-MM-DD') : null }));
    const payload = vehicle
      ? { plate: vehicle.plate, patch: { version: vehicle.version, owner, kind: v.kind, note: v.note?.trim() ?? '', sites: chosen } }
      : { create: { plate: v.plate.trim().toUpperCase(), owner, kind: v.kind, note: v.note?.trim() ?? '', sites: chosen } };
    save.mutate(payload, {
      onSuccess: (saved) => {
        void message.success(t('accessLive.vehicles.saved', { plate: saved.plate }));
        onClose();
      },
      onError: (error) => {
        if (!showFieldErrors(form, error, fieldMap)) setFailure(describeError(error));
      },
    });
  };

  return (
    <Modal
      open={open}
      title={vehicle ? t('accessLive.vehicles.editTitle', { plate: vehicle.plate }) : t('accessLive.vehicles.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={560}
    >
      <Form<VehicleForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          vehicle
            ? {
                plate: vehicle.plate,
                owner: vehicle.owner?.code ?? null,
                kind: vehicle.kind,
                note: vehicle.note,
                sites: vehicle.sites.map((s) => ({ site: s.site, validTo: s.validTo ? dayjs(s.validTo) : null })),
              }
            : { kind: 'car', sites: [{}] }
        }
      >
        <Flex gap={8} wrap>
          <Form.Item
            name="plate"
            label={t('accessLive.common.plate')}
            style={{ flex: 1, minWidth: 180 }}
            rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('accessLive.common.plate') }) }]}
          >
            <Input maxLength={20} disabled={vehicle !== null} placeholder={t('accessLive.vehicles.platePlaceholder')} />
          </Form.Item>
          <Form.Item name="kind" label={t('accessLive.vehicles.kind')} style={{ minWidth: 140 }}>
            <Select options={VEHICLE_KINDS.map((k) => ({ value: k, label: t(`accessLive.vehicles.kinds.${k}`) }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="owner" label={t('accessLive.vehicles.owner')}>
          <PersonPicker allowClear extra={vehicle?.owner ? [vehicle.owner] : []} />
        </Form.Item>
        <Form.Item label={t('accessLive.vehicles.sites')} required>
          <Form.List
            name="sites"
            rules={[{ validator: (_r, value?: { site?: string }[]) => (value?.some((s) => s?.site) ? Promise.resolve() : Promise.reject(new Error(t('accessLive.vehicles.sitesRequired')))) }]}
          >
            {(fields, { add, remove }, { errors }) => (
              <Flex vertical gap={8}>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} wrap align="start">
                    <Form.Item name={[f.name, 'site']} noStyle>
                      <Select showSearch={{ optionFilterProp: 'label' }} style={{ flex: 1, minWidth: 200 }} options={siteOptions} placeholder={t('accessLive.common.site')} aria-label={t('accessLive.common.site')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'validTo']} noStyle>
                      <DatePicker placeholder={t('accessLive.vehicles.validTo')} aria-label={t('accessLive.vehicles.validTo')} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined aria-hidden />} aria-label={t('accessLive.vehicles.removeSite')} onClick={() => remove(f.name)} disabled={fields.length === 1} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({})}>
                  {t('accessLive.vehicles.addSite')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="note" label={t('accessLive.vehicles.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

/** 车辆登记: plates with their owner, kind and the sites they may enter. */
export function VehiclesPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const canWrite = can('access.write');
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const site = params.get('site') ?? undefined;
  const sites = useSites();
  const vehicles = useVehicles(site);
  const [q, setQ] = useState('');
  const [dialog, setDialog] = useState<{ vehicle: Vehicle | null } | null>(null);
  const needle = q.trim().toUpperCase();
  const rows = (vehicles.data?.rows ?? []).filter((v) => !needle || v.plate.includes(needle) || (v.owner?.name.includes(q.trim()) ?? false));

  const columns: ColumnsType<Vehicle> = [
    { title: t('accessLive.common.plate'), dataIndex: 'plate', render: (v: string) => <Typography.Text strong>{v}</Typography.Text>, sorter: (a, b) => a.plate.localeCompare(b.plate) },
    { title: t('accessLive.vehicles.owner'), dataIndex: 'owner', render: (o: Vehicle['owner']) => (o ? `${o.name} (${o.code})` : '—') },
    { title: t('accessLive.vehicles.kind'), dataIndex: 'kind', render: (k: VehicleKind) => t(`accessLive.vehicles.kinds.${k}`) },
    {
      title: t('accessLive.vehicles.sites'),
      dataIndex: 'sites',
      render: (list: Vehicle['sites']) => (
        <Flex gap={4} wrap>
          {list.map((s) => (
            <Tag key={s.site} color={s.active ? 'blue' : 'default'}>
              {s.nameZh}
              {s.validTo ? ` → ${s.validTo}` : ''}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('accessLive.vehicles.note'), dataIndex: 'note', ellipsis: true },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_v: unknown, v: Vehicle) => (
              <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setDialog({ vehicle: v })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('accessLive.vehicles.title')}
        </Typography.Title>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setDialog({ vehicle: null })}>
            {t('accessLive.vehicles.add')}
          </Button>
        ) : null}
      </Flex>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('accessLive.common.site')} htmlFor="vehicles-site">
          <SiteSelect id="vehicles-site" sites={sites.data?.rows ?? []} value={site} onChange={(v) => set('site', v)} allowClear placeholder={t('accessLive.common.allSites')} />
        </Form.Item>
        <Form.Item label={t('common.search')} htmlFor="vehicles-q">
          <Input.Search id="vehicles-q" allowClear value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('accessLive.vehicles.searchHint')} style={{ width: 220 }} />
        </Form.Item>
      </Form>
      {!canWrite ? <Typography.Text type="secondary">{t('accessLive.vehicles.maskedNote')}</Typography.Text> : null}
      {vehicles.isError ? (
        <LoadError error={vehicles.error} onRetry={() => void vehicles.refetch()} />
      ) : (
        <Card size="small">
          <Table<Vehicle>
            size="small"
            rowKey="id"
            loading={vehicles.isPending}
            dataSource={rows}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            locale={{ emptyText: t('accessLive.vehicles.empty') }}
          />
        </Card>
      )}
      {dialog ? <VehicleModal vehicle={dialog.vehicle} open onClose={() => setDialog(null)} /> : null}
    </Flex>
  );
}
