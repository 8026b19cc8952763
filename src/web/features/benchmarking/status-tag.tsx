import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScorecardRow } from '../../../server/modules/scorecard/scorecard.schemas';

type Status = NonNullable<ScorecardRow['status']>;

const colors: Record<Status, string> = {
  approved: 'success',
  submitted: 'processing',
  draft: 'default',
  returned: 'error',
  mixed: 'warning',
};

/** The review state of a value (or of the several values it is made of: "mixed"). */
export function StatusTag({ status }: { status: Status | null }) {
  const { t } = useTranslation();
  if (!status) return <Typography.Text type="secondary">{t('benchmarking.status.none')}</Typography.Text>;
  return <Tag color={colors[status]}>{t(`benchmarking.status.${status}`)}</Tag>;
}
