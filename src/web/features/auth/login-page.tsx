import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasErrorCode, useErrorMessage } from '../../app/errors';
import { LanguageSwitch } from '../../app/locale';
import { VersionNote } from '../system/version-note';
import { AuthPanel } from './components/auth-panel';
import { MfaCodeInput } from './components/mfa-settings';
import type { LoginInput } from './queries';
import { useDemoAccounts, useLogin } from './queries';

export function LoginPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<LoginInput>();
  const login = useLogin();
  const demo = useDemoAccounts().data;
  // The server answers MFA_REQUIRED when the password is right and the account has a second factor.
  const [askCode, setAskCode] = useState(false);
  const showError = login.error && !hasErrorCode(login.error, 'MFA_REQUIRED');

  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', padding: 16, background: token.colorBgLayout }}>
      <Flex justify="flex-end" style={{ width: '100%', maxWidth: 960 }}>
        <LanguageSwitch />
      </Flex>
      <Flex vertical gap={16} style={{ width: '100%', maxWidth: 400, marginTop: '8vh' }}>
        <div style={{ textAlign: 'center' }}>
          <Typography.Title level={2} style={{ marginBottom: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 16, letterSpacing: 1 }}>
            {t('app.product')}
          </Typography.Text>
        </div>
        <AuthPanel title={t('auth.loginTitle')}>
          <Form<LoginInput>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={(values) =>
              login.mutate(askCode ? values : { username: values.username, password: values.password }, {
                onError: (error) => {
                  if (hasErrorCode(error, 'MFA_REQUIRED')) setAskCode(true);
                },
              })
            }
            onValuesChange={(changed: Partial<LoginInput>) => {
              if (login.error) login.reset();
              // Another account: its password first.
              if ('username' in changed) setAskCode(false);
            }}
          >
            <Form.Item
              label={t('auth.username')}
              name="username"
              rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined aria-hidden  />} autoComplete="username" autoCapitalize="none" spellCheck={false} />
            </Form.Item>
            <Form.Item
              label={t('auth.password')}
              name="password"
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined aria-hidden  />} autoComplete="current-password" />
            </Form.Item>
            {askCode ? <MfaCodeInput autoFocus /> : null}
            {showError ? (
              <Alert type="error" showIcon title={describeError(login.error)} style={{ marginBottom: 16 }} />
            ) : null}
            <Button type="primary" htmlType="submit" block loading={login.isPending}>
              {t('auth.signIn')}
            </Button>
          </Form>
        </AuthPanel>
        {demo?.demo && demo.accounts.length > 0 ? (
          <AuthPanel title={t('auth.demoTitle')} style={{ padding: token.padding }}>
            <Typography.Paragraph type="secondary" style={{ fontSize: token.fontSizeSM }}>
              {t('auth.demoHint', { password: demo.password ?? '' })}
            </Typography.Paragraph>
            <Flex vertical gap={4}>
              {demo.accounts.map((account) => (
                <Flex key={account.username} align="center" gap={8} wrap>
                  <Button
                    size="small"
                    onClick={() => {
                      login.reset();
                      setAskCode(false);
                      form.setFieldsValue({ username: account.username, password: demo.password ?? '' });
                    }}
                  >
                    {account.username}
                  </Button>
                  <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                    {account.role}
                    {account.unitCode ? ` · ${account.unitCode}` : ''}
                  </Typography.Text>
                </Flex>
              ))}
            </Flex>
          </AuthPanel>
        ) : null}
        <div style={{ textAlign: 'center' }}>
          <VersionNote />
        </div>
      </Flex>
    </Flex>
  );
}
