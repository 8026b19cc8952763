import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Placeholder: being built. */
export function TargetsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('targets.title')}</Typography.Title>;
}
