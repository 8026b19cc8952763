import { Button, Flex, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../app/locale';
import { useMe } from '../../../app/session';
import { useLogout } from '../queries';
import { AuthPanel } from './auth-panel';

/**
 * A page a signed-in user must get through before anything else (a forced password change, a
 * required second factor): the product name, the language switch and sign-out, then the step.
 */
export function ForcedStepPage({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
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
          {title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>
        <Typography.Paragraph>
          {t('account.username')}: <Typography.Text strong>{me.username}</Typography.Text>
        </Typography.Paragraph>
        {children}
      </AuthPanel>
    </Flex>
  );
}
