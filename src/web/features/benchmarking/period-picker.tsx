import { Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../app/date-fields';
import { periodKind, periodOf, periodStart, type PeriodKind } from './period';

const allKinds: PeriodKind[] = ['month', 'quarter', 'year'];

/**
 * Picks a reporting period: a month, quarter or year (`YYYY-MM`, `YYYY-Qn`, `YYYY`). With one kind
 * allowed only the date picker shows
 * (loaded when first used: app/date-fields.tsx).
 */
export function PeriodPicker({
  value,
  onChange,
  kinds = allKinds,
  id,
}: {
  value: string | undefined;
  onChange: (period: string) => void;
  kinds?: PeriodKind[];
  id?: string;
}) {
  const { t } = useTranslation();
  const kind = periodKind(value) ?? kinds[0] ?? 'month';
  const date = value ? periodStart(value) : null;
  const picker = (
    <DateField
      id={id}
      picker={kind}
      value={date}
      allowClear={false}
      onChange={(next) => {
        if (next) onChange(periodOf(next, kind));
      }}
      format={kind === 'quarter' ? 'YYYY-[Q]Q' : kind === 'year' ? 'YYYY' : 'YYYY-MM'}
      aria-label={t('benchmarking.period')}
      style={{ width: kinds.length > 1 ? 120 : 140 }}
    />
  );
  if (kinds.length <= 1) return picker;
  return (
    <Space.Compact>
      <Select<PeriodKind>
        value={kind}
        aria-label={t('benchmarking.periodKind')}
        onChange={(nextKind) => onChange(periodOf(date ?? periodStart(value ?? ''), nextKind))}
        options={kinds.map((option) => ({ value: option, label: t(`benchmarking.periodKinds.${option}`) }))}
        style={{ width: 84 }}
        popupMatchSelectWidth={false}
      />
      {picker}
    </Space.Compact>
  );
}
