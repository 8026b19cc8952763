import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Placeholder: being built. */
export function BenchmarksPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('benchmarks.title')}</Typography.Title>;
}
