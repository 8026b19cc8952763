import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Flex, Form, Input, Modal, Row, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { RegistryDevices } from './registry-devices';
import { RegistryNameFields, useFormErrors, useSiteName } from './registry-parts';
import { useCheckpoints, useCreateCheckpoint, usePatchCheckpoint, type Checkpoint } from './registry-queries';

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Opening hours as text: "06:00–22:00, …" or "always open". */
export function useHoursText(): (hours: Checkpoint['openingHours']) => string {
  const { t } = useTranslation();
  return (hours) => (hours && hours.length > 0 ? hours.map((w) => `${w.from}–${w.to}`).join(', ') : t('accessRegistry.checkpoints.alwaysOpen'));
}

/** The checkpoints tab of a site: opening hours, vehicles, devices (expand a row). */
export function RegistryCheckpoints({ site }: { site: string }) {
  const { t } = useTranslation();
  const can = usePermission();
  const checkpoints = useCheckpoints(site);
  const name = useSiteName();
  const hours = useHoursText();
  const [editing, setEditing] = useState<Checkpoint | 'new' | null>(null);

  const columns: ColumnsType<Checkpoint> = [
    { title: t('accessRegistry.checkpoints.code'), dataIndex: 'code' },
    { title: t('accessRegistry.checkpoints.name'), key: 'name', render: (_v, c) => name(c) },
    { title: t('accessRegistry.checkpoints.hours'), dataIndex: 'openingHours', render: (h: Checkpoint['openingHours']) => hours(h) },
    { title: t('accessRegistry.checkpoints.vehicles'), dataIndex: 'vehicles', render: (v: boolean) => (v ? <Tag color="blue">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
    { title: t('accessRegistry.checkpoints.devices'), dataIndex: 'devices', align: 'right' },
    ...(can('access.write')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, c: Checkpoint) => (
              <Button size="small" onClick={() => setEditing(c)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('accessRegistry.checkpoints.hint')}</Typography.Text>
        {can('access.write') ? (
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {t('accessRegistry.checkpoints.create')}
          </Button>
        ) : null}
      </Flex>
      {checkpoints.isError ? (
        <LoadError error={checkpoints.error} onRetry={() => void checkpoints.refetch()} />
      ) : (
        <Table<Checkpoint>
          size="small"
          rowKey="code"
          loading={checkpoints.isPending}
          dataSource={checkpoints.data?.rows ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (c) => <RegistryDevices checkpoint={c.code} />, expandRowByClick: false }}
        />
      )}
      {editing ? <CheckpointForm site={site} checkpoint={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Flex>
  );
}

interface CheckpointValues {
  code: string;
  nameZh: string;
  nameEn: string;
  alwaysOpen: boolean;
  windows: { from: string; to: string }[];
  vehicles: boolean;
}

const known = new Set(['code', 'nameZh', 'nameEn', 'openingHours', 'vehicles']);

function CheckpointForm({ site, checkpoint, onClose }: { site: string; checkpoint: Checkpoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CheckpointValues>();
  const create = useCreateCheckpoint();
  const patch = usePatchCheckpoint();
  const alwaysOpen = Form.useWatch('alwaysOpen', form);
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<CheckpointValues>({ CHECKPOINT_EXISTS: 'code' });

  const submit = (v: CheckpointValues) => {
    setProblem(null);
    const openingHours = v.alwaysOpen ? null : (v.windows ?? []).map((w) => ({ from: w.from.trim(), to: w.to.trim() }));
    const nameEn = v.nameEn?.trim() ? v.nameEn.trim() : null;
    const onError = (error: unknown) => setProblem(formErrors(form, error, known));
    if (checkpoint) {
      patch.mutate({ code: checkpoint.code, body: { version: checkpoint.version, nameZh: v.nameZh.trim(), nameEn, openingHours, vehicles: v.vehicles } }, { onSuccess: onClose, onError });
    } else {
      create.mutate({ code: v.code.trim(), nameZh: v.nameZh.trim(), nameEn, site, openingHours, vehicles: v.vehicles }, { onSuccess: onClose, onError });
    }
  };

  return (
    <Modal
      open
      title={checkpoint ? t('accessRegistry.checkpoints.editTitle', { code: checkpoint.code }) : t('accessRegistry.checkpoints.createTitle')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || patch.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<CheckpointValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          checkpoint
            ? { code: checkpoint.code, nameZh: checkpoint.nameZh, nameEn: checkpoint.nameEn ?? '', alwaysOpen: !checkpoint.openingHours, windows: checkpoint.openingHours ?? [{ from: '06:00', to: '22:00' }], vehicles: checkpoint.vehicles }
            : { alwaysOpen: true, windows: [{ from: '06:00', to: '22:00' }], vehicles: true, nameEn: '' }
        }
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="code" label={t('accessRegistry.checkpoints.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('accessRegistry.siteForm.codeRule') }]}>
              <Input disabled={Boolean(checkpoint)} maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="vehicles" label={t('accessRegistry.checkpoints.vehicles')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <RegistryNameFields />
        </Row>
        <Form.Item name="alwaysOpen" label={t('accessRegistry.checkpoints.alwaysOpen')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {alwaysOpen ? null : (
          <Form.List name="windows" rules={[{ validator: async (_r, value: unknown[] | undefined) => { if (!value || value.length === 0) throw new Error(t('accessRegistry.checkpoints.windowsRequired')); } }]}>
            {(fields, { add, remove }, { errors }) => (
              <Flex vertical gap={4}>
                <Typography.Text>{t('accessRegistry.checkpoints.hours')}</Typography.Text>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline">
                    <Form.Item name={[field.name, 'from']} rules={[{ required: true, pattern: hhmm, message: t('accessRegistry.hhmm') }]}>
                      <Input placeholder="06:00" style={{ width: 90 }} aria-label={t('accessRegistry.from')} />
                    </Form.Item>
                    <span>–</span>
                    <Form.Item name={[field.name, 'to']} rules={[{ required: true, pattern: hhmm, message: t('accessRegistry.hhmm') }]}>
                      <Input placeholder="22:00" style={{ width: 90 }} aria-label={t('accessRegistry.to')} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined aria-hidden />} aria-label={t('accessRegistry.removeWindow')} onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                {fields.length < 8 ? (
                  <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ from: '', to: '' })} style={{ alignSelf: 'flex-start' }}>
                    {t('accessRegistry.addWindow')}
                  </Button>
                ) : null}
                <Form.ErrorList errors={errors} />
                <Typography.Text type="secondary">{t('accessRegistry.checkpoints.overnight')}</Typography.Text>
              </Flex>
            )}
          </Form.List>
        )}
      </Form>
    </Modal>
  );
}
