import { Segmented } from 'antd';
import { useSearchParams } from 'react-router';
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

/** The scope of a benchmarking page, kept in the address (`?scope=ytd`) like its unit and period. */
export function useScopeParam(): [Scope, (scope: Scope) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const scope: Scope = searchParams.get('scope') === 'ytd' ? 'ytd' : 'period';
  const setScope = (next: Scope) =>
    setSearchParams(
      (params) => {
        const updated = new URLSearchParams(params);
        updated.set('scope', next);
        return updated;
      },
      { replace: true },
    );
  return [scope, setScope];
}
