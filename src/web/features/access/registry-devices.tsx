import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Image, Input, Modal, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError } from '../../app/status-pages';
import { useQrDataUrl } from '../../app/use-qr-data-url';
import { useCreateDevice, useDevices, useRevokeDevice, type CreatedDevice, type DeviceRow } from './registry-queries';
import { useRegistryErrorMessage } from './registry-parts';

/** The address that binds a phone to the checkpoint: the gate app takes the token from `?device=`. */
export const gateLinkOf = (token: string) => `${window.location.origin}/gate?device=${encodeURIComponent(token)}`;

/** The devices bound to a checkpoint: bind a new one (its token shown once), revoke one. */
export function RegistryDevices({ checkpoint }: { checkpoint: string }) {
  const { t } = useTranslation();
  const can = usePermission();
  const { modal, message } = App.useApp();
  const describe = useRegistryErrorMessage();
  const devices = useDevices(checkpoint);
  const revoke = useRevokeDevice();
  const [binding, setBinding] = useState(false);
  const [created, setCreated] = useState<CreatedDevice | null>(null);

  const confirmRevoke = (d: DeviceRow) =>
    void modal.confirm({
      title: t('accessRegistry.devices.revokeTitle', { name: d.name }),
      content: t('accessRegistry.devices.revokeBody'),
      okText: t('accessRegistry.devices.revoke'),
      okButtonProps: { danger: true },
      onOk: () =>
        revoke.mutateAsync(d.id).then(
          () => void message.success(t('accessRegistry.devices.revoked')),
          (error: unknown) => void message.error(describe(error)),
        ),
    });

  const columns: ColumnsType<DeviceRow> = [
    { title: t('accessRegistry.devices.name'), dataIndex: 'name' },
    { title: t('accessRegistry.devices.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('accessRegistry.devices.lastSeenAt'), dataIndex: 'lastSeenAt', render: (v: string | null) => formatDateTime(v) },
    {
      title: t('accessRegistry.devices.state'),
      key: 'state',
      render: (_v, d) => (d.revokedAt ? <Tag color="red">{t('accessRegistry.devices.revokedAt', { at: formatDateTime(d.revokedAt) })}</Tag> : <Tag color="green">{t('accessRegistry.devices.active')}</Tag>),
    },
    ...(can('access.write')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, d: DeviceRow) =>
              d.revokedAt ? null : (
                <Button size="small" danger onClick={() => confirmRevoke(d)}>
                  {t('accessRegistry.devices.revoke')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text strong>{t('accessRegistry.devices.title', { checkpoint })}</Typography.Text>
        {can('access.write') ? (
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setBinding(true)}>
            {t('accessRegistry.devices.create')}
          </Button>
        ) : null}
      </Flex>
      {devices.isError ? (
        <LoadError error={devices.error} onRetry={() => void devices.refetch()} />
      ) : (
        <Table<DeviceRow> size="small" rowKey="id" loading={devices.isPending} dataSource={devices.data?.rows ?? []} columns={columns} pagination={false} scroll={{ x: 'max-content' }} />
      )}
      {binding ? (
        <CreateDeviceModal
          checkpoint={checkpoint}
          onClose={() => setBinding(false)}
          onCreated={(d) => {
            setBinding(false);
            setCreated(d);
          }}
        />
      ) : null}
      {created ? <DeviceTokenModal device={created} onClose={() => setCreated(null)} /> : null}
    </Flex>
  );
}

function CreateDeviceModal({ checkpoint, onClose, onCreated }: { checkpoint: string; onClose: () => void; onCreated: (d: CreatedDevice) => void }) {
  const { t } = useTranslation();
  const describe = useRegistryErrorMessage();
  const [form] = Form.useForm<{ name: string }>();
  const create = useCreateDevice();
  return (
    <Modal open title={t('accessRegistry.devices.createTitle', { checkpoint })} okText={t('accessRegistry.devices.createOk')} onOk={() => form.submit()} confirmLoading={create.isPending} onCancel={onClose} destroyOnHidden>
      {create.isError ? <Alert type="error" showIcon title={describe(create.error)} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate({ checkpoint, name: v.name.trim() }, { onSuccess: onCreated })}>
        <Form.Item name="name" label={t('accessRegistry.devices.name')} extra={t('accessRegistry.devices.nameHint')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The new device's token, this once: the link that binds a phone, and its QR code (made in the browser). */
function DeviceTokenModal({ device, onClose }: { device: CreatedDevice; onClose: () => void }) {
  const { t } = useTranslation();
  const link = gateLinkOf(device.token);
  const qr = useQrDataUrl(link, 280);
  return (
    <Modal
      open
      title={t('accessRegistry.devices.tokenTitle', { name: device.name })}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('accessRegistry.devices.tokenDone')}
        </Button>
      }
      maskClosable={false}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Alert type="warning" showIcon title={t('accessRegistry.devices.tokenOnce')} />
        <div>
          <Typography.Text type="secondary">{t('accessRegistry.devices.link')}</Typography.Text>
          <Typography.Paragraph copyable={{ text: link }} code style={{ wordBreak: 'break-all', marginBottom: 0 }} data-testid="device-link">
            {link}
          </Typography.Paragraph>
        </div>
        <div>
          <Typography.Text type="secondary">{t('accessRegistry.devices.token')}</Typography.Text>
          <Typography.Paragraph copyable={{ text: device.token }} code style={{ wordBreak: 'break-all', marginBottom: 0 }}>
            {device.token}
          </Typography.Paragraph>
        </div>
        <Flex justify="center">{qr ? <Image src={qr} alt={t('accessRegistry.devices.qrAlt')} width={240} preview={false} /> : null}</Flex>
        <Typography.Text type="secondary">{t('accessRegistry.devices.scanHint')}</Typography.Text>
      </Flex>
    </Modal>
  );
}
