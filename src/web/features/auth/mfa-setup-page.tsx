import { App, Button, Flex, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/locale';
import { useMe } from '../../app/session';
import { AuthPanel } from './components/auth-panel';
import { MfaEnrolmentForm } from './components/mfa-settings';
import { useLogout } from './queries';

/** The forced set-up of two-step verification: the only page a user whose role requires it may see until it is done. */
export function MfaSetupPage() {
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
          <Button type="text" loading={logout.isPending} onClick={() => logout.mutate()}>
            {t('auth.signOut')}
          </Button>
        </Flex>
      </Flex>
      <AuthPanel style={{ width: '100%', maxWidth: 480, marginTop: '6vh' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('auth.mfaSetupTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.mfaSetupRequired')}</Typography.Paragraph>
        <Typography.Paragraph>
          {t('account.username')}: <Typography.Text strong>{me.username}</Typography.Text>
        </Typography.Paragraph>
        <MfaEnrolmentForm onEnrolled={() => void message.success(t('auth.mfaEnrolled'))} />
      </AuthPanel>
    </Flex>
  );
}
