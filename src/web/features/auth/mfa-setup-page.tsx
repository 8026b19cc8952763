import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ForcedStepPage } from './components/forced-step-page';
import { MfaEnrolmentForm } from './components/mfa-settings';
import { AntdProviders } from '../../app/antd-providers';

/** The forced set-up of two-step verification: the only page a user whose role requires it may see until it is done. */
export function MfaSetupPage() {
  return (
    <AntdProviders>
      <MfaSetupStep />
    </AntdProviders>
  );
}

function MfaSetupStep() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <ForcedStepPage title={t('auth.mfaSetupTitle')} intro={t('auth.mfaSetupRequired')}>
      <MfaEnrolmentForm onEnrolled={() => void message.success(t('auth.mfaEnrolled'))} />
    </ForcedStepPage>
  );
}
