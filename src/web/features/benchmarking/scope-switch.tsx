import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';

export type Scope = 'period' | 'ytd';

/** 本期 / 累计: this period or year to date, the same switch on every benchmarking page. */
export function ScopeSwitch({ value, onChange }: { value: Scope; onChange: (scope: Scope) => void }) {
  const { t } = useTranslation();
  return (
    <Segmented<Scope>
      value={value}
      onChange={onChange}
      options={[
        { value: 'period', label: t('scorecard.scopes.period') },
        { value: 'ytd', label: t('scorecard.scopes.ytd') },
      ]}
    />
  );
}
