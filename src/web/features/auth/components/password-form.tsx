import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasErrorCode, passwordViolations, useErrorMessage } from '../../../app/errors';
import { useChangePassword } from '../queries';
import { PasswordHints } from './password-hints';
import { PasswordViolations } from './password-violations';

interface PasswordFormValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Change one's own password: used by the forced change after sign-in and on the account page. */
export function PasswordForm({ username, onChanged }: { username: string; onChanged?: () => void }) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<PasswordFormValues>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const changePassword = useChangePassword();
  const [failure, setFailure] = useState<unknown>(null);

  const submit = (values: PasswordFormValues) => {
    setFailure(null);
    changePassword.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          onChanged?.();
        },
        onError: (error) => {
          if (hasErrorCode(error, 'WRONG_PASSWORD')) {
            form.setFields([{ name: 'currentPassword', errors: [describeError(error)] }]);
          } else {
            setFailure(error);
          }
        },
      },
    );
  };

  const violations = passwordViolations(failure);
  return (
    <Form<PasswordFormValues> form={form} layout="vertical" onFinish={submit} requiredMark={false} style={{ maxWidth: 440 }}>
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Form.Item
        label={t('auth.currentPassword')}
        name="currentPassword"
        rules={[{ required: true, message: t('auth.passwordRequired') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label={t('auth.newPassword')}
        name="newPassword"
        rules={[{ required: true, message: t('auth.passwordRequired') }]}
        style={{ marginBottom: 8 }}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <PasswordHints password={newPassword} username={username} />
      <Form.Item
        label={t('auth.confirmPassword')}
        name="confirmPassword"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('auth.passwordRequired') },
          ({ getFieldValue }) => ({
            validator: (_rule, value) =>
              !value || getFieldValue('newPassword') === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('auth.passwordsDiffer'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      {failure ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={violations.length > 0 ? t('auth.policyFailed') : describeError(failure)}
          description={
            violations.length > 0 ? <PasswordViolations codes={violations} /> : undefined
          }
        />
      ) : null}
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" loading={changePassword.isPending}>
          {t('auth.changePassword')}
        </Button>
      </Form.Item>
    </Form>
  );
}
