import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/session';
import { ForcedStepPage } from './components/forced-step-page';
import { PasswordForm } from './components/password-form';
import { AntdProviders } from '../../app/antd-providers';

/** The forced password change after sign-in: initial password or an expired one. */
export function ChangePasswordPage() {
  return (
    <AntdProviders>
      <ChangePasswordStep />
    </AntdProviders>
  );
}

function ChangePasswordStep() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  return (
    <ForcedStepPage title={t('auth.forcedTitle')} intro={me.passwordExpired && !me.mustChangePassword ? t('auth.forcedExpired') : t('auth.forcedMustChange')}>
      <PasswordForm username={me.username} onChanged={() => void message.success(t('auth.passwordChanged'))} />
    </ForcedStepPage>
  );
}
