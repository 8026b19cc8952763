import { QrcodeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Image, Input, Modal, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { PassStatusTag, useSiteName, useWindowsText, useRegistryErrorMessage } from './registry-parts';
import { passQrUrl, usePassAction, type Pass } from './registry-queries';

/**
 * Passes as a table with their status, and (for access.write) suspend, reactivate and revoke; the
 * QR code opens in a dialog. `holder` adds the holder's column (a site's list).
 */
export function RegistryPassList({
  rows,
  loading,
  holder,
  pagination,
}: {
  rows: Pass[];
  loading: boolean;
  holder?: boolean;
  pagination?: TablePaginationConfig | false;
}) {
  const { t } = useTranslation();
  const can = usePermission();
  const { modal, message } = App.useApp();
  const describe = useRegistryErrorMessage();
  const action = usePassAction();
  const siteName = useSiteName();
  const windowsText = useWindowsText();
  const [qr, setQr] = useState<Pass | null>(null);
  const [asking, setAsking] = useState<{ pass: Pass; action: 'revoke' | 'suspend' } | null>(null);

  const reactivate = (pass: Pass) =>
    void modal.confirm({
      title: t('accessRegistry.passes.reactivateTitle', { number: pass.number }),
      content: t('accessRegistry.passes.reactivateBody'),
      okText: t('accessRegistry.passes.reactivate'),
      onOk: () =>
        action.mutateAsync({ pass, action: 'reactivate' }).then(
          () => void message.success(t('accessRegistry.passes.reactivated')),
          (error: unknown) => void message.error(describe(error)),
        ),
    });

  const columns: ColumnsType<Pass> = [
    { title: t('accessRegistry.passes.number'), dataIndex: 'number', render: (n: number) => <Typography.Text strong>{n}</Typography.Text> },
    ...(holder ? [{ title: t('accessRegistry.passes.holder'), key: 'holder', render: (_v: unknown, p: Pass) => `${p.personName} (${p.person})` }] : []),
    { title: t('accessRegistry.passes.sites'), key: 'sites', render: (_v, p) => p.sites.map((s) => <Tag key={s.code}>{siteName(s)}</Tag>) },
    { title: t('accessRegistry.passes.validity'), key: 'validity', render: (_v, p) => `${p.validFrom} – ${p.validTo}` },
    { title: t('accessRegistry.passes.windows'), dataIndex: 'windows', render: (w: Pass['windows']) => windowsText(w) },
    { title: t('accessRegistry.passes.essential'), dataIndex: 'essential', render: (e: boolean) => (e ? <Tag color="purple">{t('accessRegistry.passes.essentialTag')}</Tag> : null) },
    {
      title: t('accessRegistry.passes.statusLabel'),
      key: 'status',
      render: (_v, p) =>
        p.statusReason ? (
          <Tooltip title={`${p.statusReason} · ${formatDateTime(p.statusChangedAt)}`}>
            <span>
              <PassStatusTag pass={p} />
            </span>
          </Tooltip>
        ) : (
          <PassStatusTag pass={p} />
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, p) => (
        <Space size={4} wrap>
          <Button size="small" icon={<QrcodeOutlined aria-hidden />} onClick={() => setQr(p)} aria-label={t('accessRegistry.passes.qrFor', { number: p.number })}>
            {t('accessRegistry.passes.qr')}
          </Button>
          {can('access.write') && p.status === 'active' ? (
            <Button size="small" onClick={() => setAsking({ pass: p, action: 'suspend' })}>
              {t('accessRegistry.passes.suspend')}
            </Button>
          ) : null}
          {can('access.write') && p.status === 'suspended' ? (
            <Button size="small" onClick={() => reactivate(p)}>
              {t('accessRegistry.passes.reactivate')}
            </Button>
          ) : null}
          {can('access.write') && p.status !== 'revoked' ? (
            <Button size="small" danger onClick={() => setAsking({ pass: p, action: 'revoke' })}>
              {t('accessRegistry.passes.revoke')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Table<Pass> size="small" rowKey="id" loading={loading} dataSource={rows} columns={columns} pagination={pagination ?? false} scroll={{ x: 'max-content' }} />
      {qr ? (
        <Modal open title={t('accessRegistry.passes.qrTitle', { number: qr.number })} footer={null} onCancel={() => setQr(null)} destroyOnHidden width={380}>
          <Flex vertical align="center" gap={8}>
            <Image src={passQrUrl(qr.id)} alt={t('accessRegistry.passes.qrFor', { number: qr.number })} width={280} preview={false} />
            <Typography.Text>{qr.personName}</Typography.Text>
            <Typography.Text type="secondary">{t('accessRegistry.passes.qrHint')}</Typography.Text>
          </Flex>
        </Modal>
      ) : null}
      {asking ? <ReasonModal pass={asking.pass} action={asking.action} onClose={() => setAsking(null)} /> : null}
    </>
  );
}

/** Suspend or revoke with a reason; a revocation is confirmed once more (it is final). */
function ReasonModal({ pass, action, onClose }: { pass: Pass; action: 'revoke' | 'suspend'; onClose: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const describe = useRegistryErrorMessage();
  const mutation = usePassAction();
  const [form] = Form.useForm<{ reason: string }>();
  const revoke = action === 'revoke';

  const run = (reason: string) =>
    mutation.mutateAsync({ pass, action, reason }).then(
      () => {
        void message.success(revoke ? t('accessRegistry.passes.revokedOk') : t('accessRegistry.passes.suspendedOk'));
        onClose();
      },
      (error: unknown) => {
        form.setFields([{ name: 'reason', errors: [describe(error)] }]);
      },
    );

  const submit = ({ reason }: { reason: string }) => {
    if (!revoke) {
      void run(reason.trim());
      return;
    }
    void modal.confirm({
      title: t('accessRegistry.passes.revokeConfirmTitle', { number: pass.number }),
      content: t('accessRegistry.passes.revokeConfirmBody'),
      okText: t('accessRegistry.passes.revokeFinal'),
      okButtonProps: { danger: true },
      onOk: () => run(reason.trim()),
    });
  };

  return (
    <Modal
      open
      title={revoke ? t('accessRegistry.passes.revokeTitle', { number: pass.number }) : t('accessRegistry.passes.suspendTitle', { number: pass.number })}
      okText={revoke ? t('accessRegistry.passes.revoke') : t('accessRegistry.passes.suspend')}
      okButtonProps={{ danger: revoke }}
      onOk={() => form.submit()}
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      {revoke ? <Alert type="warning" showIcon title={t('accessRegistry.passes.revokeWarning')} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="reason" label={t('accessRegistry.passes.reason')} rules={[{ required: true, whitespace: true, max: 500, message: t('accessRegistry.passes.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
