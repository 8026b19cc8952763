import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../server/modules/users/users.schemas';
import { passwordViolations, useErrorMessage } from '../../../app/errors';
import { PasswordViolations } from '../../auth/components/password-violations';
import { useResetPassword } from '../queries';

export function ResetPasswordModal({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetPassword();
  const violations = passwordViolations(reset.error);
  return (
    <Modal
      open
      title={t('users.resetPasswordTitle', { name: user.displayName })}
      okText={t('users.resetPassword')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('users.resetPasswordHint')}</Typography.Paragraph>
      <Form<{ password: string }>
        form={form}
        layout="vertical"
        onFinish={({ password }) => reset.mutate({ id: user.id, version: user.version, password }, { onSuccess: onDone })}
        onValuesChange={() => reset.error && reset.reset()}
      >
        <Form.Item
          label={t('users.newPassword')}
          name="password"
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('users.newPassword') }) }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {reset.error ? (
          <Alert
            type="error"
            showIcon
            title={describeError(reset.error)}
            description={violations.length > 0 ? <PasswordViolations codes={violations} /> : undefined}
          />
        ) : null}
      </Form>
    </Modal>
  );
}
