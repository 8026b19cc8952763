import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatNumber, noValue } from '../../benchmarking/format';
import type { LevelSource } from '../target-levels';

/**
 * One level (floor, target or stretch) in a table cell: a value of its own plainly, one worked out
 * from the annual target or from the months in grey with the reason as a tooltip.
 */
export function LevelCell({ value, precision, source, strong = false }: { value: number | null | undefined; precision: number | undefined; source: LevelSource; strong?: boolean }) {
  const { t, i18n } = useTranslation();
  const text = formatNumber(value ?? null, i18n.language, precision);
  if (value === null || value === undefined) return <Typography.Text type="secondary">{noValue}</Typography.Text>;
  if (source === 'own') return <span className="num" style={strong ? { fontWeight: 600 } : undefined}>{text}</span>;
  return (
    <Tooltip title={source === 'months' ? t('targets.fromMonths') : t('targets.fromAnnual')}>
      <Typography.Text type="secondary" className="num" style={{ cursor: 'help', fontWeight: strong ? 600 : undefined }}>
        {text}
      </Typography.Text>
    </Tooltip>
  );
}
