import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Placeholder: being built. */
export function SelectionsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('selections.title')}</Typography.Title>;
}
