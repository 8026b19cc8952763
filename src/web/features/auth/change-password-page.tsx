import { App, Button, Flex, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/locale';
import { useMe } from '../../app/session';
import { AuthPanel } from './components/auth-panel';
import { PasswordForm } from './components/password-form';
import { useLogout } from './queries';

/** The forced password change after sign-in: initial password or an expired one. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const me = useMe();
  const logout = useLogout();

  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', padding: 16, background: token.colorBgLayout }}>
      <Flex justify="space-between" align="center" style={{ width: '100%', maxWidth: 960 }}>
        <Typography.Text strong>
          {t('app.name')} {t('app.product')}
        </Typography.Text>
        <Flex gap={4}>
          <LanguageSwitch />
          <Button
            type="text"
            loading={logout.isPending}
            onClick={() => logout.mutate()}
          >
            {t('auth.signOut')}
          </Button>
        </Flex>
      </Flex>
      <AuthPanel style={{ width: '100%', maxWidth: 480, marginTop: '6vh' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('auth.forcedTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {me.passwordExpired && !me.mustChangePassword ? t('auth.forcedExpired') : t('auth.forcedMustChange')}
        </Typography.Paragraph>
        <Typography.Paragraph>
          {t('account.username')}: <Typography.Text strong>{me.username}</Typography.Text>
        </Typography.Paragraph>
        <PasswordForm username={me.username} onChanged={() => void message.success(t('auth.passwordChanged'))} />
      </AuthPanel>
    </Flex>
  );
}
