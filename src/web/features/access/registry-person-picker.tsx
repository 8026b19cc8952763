import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeopleLookup } from './registry-queries';

/** Picks a person by name or code (value: the person's code); a form control. */
export function RegistryPersonPicker({
  id,
  value,
  onChange,
  exclude,
  initialLabel,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** A code not to offer (the person being edited cannot be their own proxy). */
  exclude?: string;
  /** How to show the current value before any search (e.g. "张三 (P00001)"). */
  initialLabel?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const lookup = usePeopleLookup(q);
  const options = (lookup.data?.items ?? []).filter((p) => p.code !== exclude).map((p) => ({ value: p.code, label: `${p.name} (${p.code})` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel ?? value });
  return (
    <Select<string>
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={lookup.isFetching}
      placeholder={t('accessRegistry.personPicker.placeholder')}
      notFoundContent={q ? t('accessRegistry.personPicker.none') : t('accessRegistry.personPicker.type')}
      options={options}
    />
  );
}
