import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnmask, type Person } from './registry-queries';
import { useRegistryErrorMessage } from './registry-parts';

/**
 * 显示完整号码: asks why the full value is needed (at least 4 characters), then shows it and says
 * that the view was recorded in the audit log. The value lives only in this dialog.
 */
export function RegistryUnmaskModal({ person, field, onClose }: { person: Person; field: 'idNumber' | 'phone'; onClose: () => void }) {
  const { t } = useTranslation();
  const describe = useRegistryErrorMessage();
  const unmask = useUnmask();
  const [form] = Form.useForm<{ reason: string }>();
  const label = field === 'idNumber' ? t('accessRegistry.person.idNumber') : t('accessRegistry.person.phone');
  const value = unmask.data?.value;

  return (
    <Modal
      open
      title={t('accessRegistry.unmask.title', { field: label, name: person.name })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        value !== undefined ? (
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          [
            <Button key="cancel" onClick={onClose}>
              {t('common.cancel')}
            </Button>,
            <Button key="ok" type="primary" loading={unmask.isPending} onClick={() => form.submit()}>
              {t('accessRegistry.unmask.show')}
            </Button>,
          ]
        )
      }
    >
      {value !== undefined ? (
        <>
          <Typography.Paragraph>
            {label}：
            <Typography.Text strong copyable data-testid="unmasked-value" style={{ fontSize: 18 }}>
              {value}
            </Typography.Text>
          </Typography.Paragraph>
          <Alert type="info" showIcon title={t('accessRegistry.unmask.audited')} />
        </>
      ) : (
        <Form form={form} layout="vertical" onFinish={(v) => unmask.mutate({ id: person.id, field, reason: v.reason.trim() })}>
          <Typography.Paragraph type="secondary">{t('accessRegistry.unmask.intro')}</Typography.Paragraph>
          {unmask.isError ? <Alert type="error" showIcon title={describe(unmask.error)} style={{ marginBottom: 12 }} /> : null}
          <Form.Item
            name="reason"
            label={t('accessRegistry.unmask.reason')}
            rules={[
              { required: true, whitespace: true, message: t('accessRegistry.unmask.reasonRequired') },
              { validator: async (_r, v: string | undefined) => { if (v && v.trim().length > 0 && v.trim().length < 4) throw new Error(t('accessRegistry.unmask.reasonShort')); } },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} autoFocus />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
