import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../units/components/unit-tree-select';

/** Picks a unit by its code, as the benchmarking API names units. */
export function UnitPicker({ value, onChange, id }: { value: string | undefined; onChange: (unit: string) => void; id?: string }) {
  const { t } = useTranslation();
  return (
    <UnitTreeSelect
      id={id}
      valueField="code"
      value={value}
      onChange={(next) => {
        if (next) onChange(next);
      }}
      placeholder={t('benchmarking.pickUnit')}
      style={{ width: 260, maxWidth: '100%' }}
    />
  );
}
