import { TreeSelect } from 'antd';
import { useMemo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../queries';
import { buildUnitTree, unitName, type UnitNode } from '../unit-tree';

interface UnitOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: UnitOption[];
}

interface UnitTreeSelectProps {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Units that may not be chosen (and their subtrees are hidden), e.g. a unit being moved. */
  excludeIds?: ReadonlySet<string>;
  allowClear?: boolean;
  placeholder?: string;
  /** What the value is: the unit's id (default) or its code (the benchmarking API takes codes). */
  valueField?: 'id' | 'code';
  disabled?: boolean;
  style?: CSSProperties;
}

/** Picks one active unit from the org tree; a form control (value/onChange/id from Form.Item). */
export function UnitTreeSelect({
  id,
  value,
  onChange,
  excludeIds,
  allowClear,
  placeholder,
  valueField = 'id',
  disabled,
  style,
}: UnitTreeSelectProps) {
  const { i18n } = useTranslation();
  const units = useUnits();
  const options = useMemo(() => {
    const toOption = (node: UnitNode): UnitOption | null => {
      if (excludeIds?.has(node.unit.id)) return null;
      return {
        value: node.unit[valueField],
        title: `${node.unit.code} ${unitName(node.unit, i18n.language)}`,
        // Inactive units stay visible for orientation but cannot be chosen.
        disabled: !node.unit.active,
        children: node.children.map(toOption).filter((option): option is UnitOption => option !== null),
      };
    };
    return buildUnitTree(units.data ?? [])
      .map(toOption)
      .filter((option): option is UnitOption => option !== null);
  }, [units.data, excludeIds, i18n.language, valueField]);

  return (
    <TreeSelect<string | null>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      treeData={options}
      loading={units.isPending}
      showSearch={{ treeNodeFilterProp: 'title' }}
      allowClear={allowClear}
      placeholder={placeholder}
      treeDefaultExpandAll={options.length < 3}
      popupMatchSelectWidth={false}
      disabled={disabled}
      style={{ width: '100%', ...style }}
    />
  );
}
