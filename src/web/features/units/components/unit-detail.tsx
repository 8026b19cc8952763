import { Button, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../../../../server/modules/units/units.schemas';
import { formatDate } from '../../../app/format';
import { unitName } from '../unit-tree';

export type UnitAction = 'addChild' | 'edit' | 'move' | 'deactivate' | 'activate';

/** The selected unit's facts and, for users who may change units, what can be done with it. */
export function UnitDetail({
  unit,
  parent,
  canWrite,
  onAction,
}: {
  unit: Unit;
  parent: Unit | undefined;
  canWrite: boolean;
  onAction: (action: UnitAction) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {unitName(unit, i18n.language)}
        </Typography.Title>
        {unit.active ? <Tag color="success">{t('units.active')}</Tag> : <Tag>{t('units.inactive')}</Tag>}
      </Flex>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        items={[
          { key: 'code', label: t('units.code'), children: <Typography.Text copyable>{unit.code}</Typography.Text> },
          { key: 'kind', label: t('units.kind'), children: t(`units.kinds.${unit.kind}`) },
          { key: 'peerClass', label: t('units.peerClass'), children: unit.peerClass || '—' },
          { key: 'nameZh', label: t('units.nameZh'), children: unit.nameZh },
          { key: 'nameEn', label: t('units.nameEn'), children: unit.nameEn || '—' },
          {
            key: 'parent',
            label: t('units.parent'),
            children: parent ? `${parent.code} ${unitName(parent, i18n.language)}` : unit.parentId ? '—' : t('units.noParent'),
          },
          { key: 'sortOrder', label: t('units.sortOrder'), children: unit.sortOrder },
          { key: 'validFrom', label: t('units.validFrom'), children: formatDate(unit.validFrom) },
          { key: 'validTo', label: t('units.validTo'), children: formatDate(unit.validTo) },
          {
            key: 'status',
            label: t('units.status'),
            children: unit.active ? t('units.active') : t('units.inactive'),
          },
        ]}
      />
      {canWrite ? (
        <Flex gap={8} wrap>
          {unit.active ? (
            <Button type="primary" onClick={() => onAction('addChild')}>
              {t('units.addChild')}
            </Button>
          ) : null}
          <Button onClick={() => onAction('edit')}>{t('common.edit')}</Button>
          <Button onClick={() => onAction('move')}>{t('units.move')}</Button>
          {unit.active ? (
            <Button danger onClick={() => onAction('deactivate')}>
              {t('units.deactivate')}
            </Button>
          ) : (
            <Button onClick={() => onAction('activate')}>{t('units.activate')}</Button>
          )}
        </Flex>
      ) : null}
    </Flex>
  );
}
