import { Alert, DatePicker, Form, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../../../../server/modules/units/units.schemas';
import { useErrorMessage } from '../../../app/errors';
import { useDeactivateUnit } from '../queries';
import { unitName } from '../unit-tree';

/** Deactivate a unit, optionally as of a given last day (the server's today otherwise). */
export function DeactivateUnitModal({ unit, onClose, onDone }: { unit: Unit; onClose: () => void; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorMessage();
  const [form] = Form.useForm<{ validTo: Dayjs | null }>();
  const deactivate = useDeactivateUnit();

  return (
    <Modal
      open
      title={t('units.deactivateTitle', { name: unitName(unit, i18n.language) })}
      okText={t('units.deactivate')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={deactivate.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('units.deactivateHint')}</Typography.Paragraph>
      <Form<{ validTo: Dayjs | null }>
        form={form}
        layout="vertical"
        onFinish={({ validTo }) =>
          deactivate.mutate(
            { id: unit.id, version: unit.version, ...(validTo ? { validTo: validTo.format('YYYY-MM-DD') } : {}) },
            { onSuccess: () => onDone() },
          )
        }
      >
        <Form.Item label={t('units.validTo')} name="validTo" extra={t('units.validToHint')}>
          <DatePicker style={{ width: '100%' }} allowClear />
        </Form.Item>
        {deactivate.error ? <Alert type="error" showIcon title={describeError(deactivate.error)} /> : null}
      </Form>
    </Modal>
  );
}
