import { Alert, Form, Modal, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../../../../server/modules/units/units.schemas';
import { useErrorMessage } from '../../../app/errors';
import { useMoveUnit, useUnits } from '../queries';
import { subtreeIds, unitName } from '../unit-tree';
import { UnitTreeSelect } from './unit-tree-select';

/** Move a unit under another parent; the unit itself and its own sub-units are not offered. */
export function MoveUnitModal({
  unit,
  onClose,
  onMoved,
}: {
  unit: Unit;
  onClose: () => void;
  onMoved: (parentId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<{ parentId: string }>();
  const units = useUnits();
  const move = useMoveUnit();
  const excluded = useMemo(() => subtreeIds(units.data ?? [], unit.id), [units.data, unit.id]);
  const currentParent = units.data?.find((candidate) => candidate.id === unit.parentId);

  return (
    <Modal
      open
      title={t('units.moveTitle', { name: unitName(unit, i18n.language) })}
      okText={t('units.move')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={move.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('units.parent')}: {currentParent ? `${currentParent.code} ${unitName(currentParent, i18n.language)}` : t('units.noParent')}
      </Typography.Paragraph>
      <Form<{ parentId: string }>
        form={form}
        layout="vertical"
        onFinish={({ parentId }) =>
          move.mutate({ id: unit.id, version: unit.version, parentId }, { onSuccess: () => onMoved(parentId) })
        }
        onValuesChange={() => move.error && move.reset()}
      >
        <Form.Item
          label={t('units.newParent')}
          name="parentId"
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('units.newParent') }) }]}
        >
          <UnitTreeSelect excludeIds={excluded} />
        </Form.Item>
        {move.error ? <Alert type="error" showIcon title={describeError(move.error)} /> : null}
      </Form>
    </Modal>
  );
}
