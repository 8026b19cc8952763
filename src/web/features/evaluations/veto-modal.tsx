import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../app/errors';
import { useVetoUnit, type Results } from './queries';

/** One-vote veto of a unit for the period, with a required reason (evaluations-page.tsx loads it when first opened). */
export function VetoModal({ results, onClose }: { results: Results; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const veto = useVetoUnit();
  const [form] = Form.useForm<{ unit: string; reason: string }>();
  const submit = ({ unit, reason }: { unit: string; reason: string }) =>
    veto.mutate(
      { scheme: results.scheme, period: results.period, unit, reason: reason.trim() },
      {
        onSuccess: (saved) => {
          void message.success(t('evaluations.vetoSaved', { unit: saved.unit }));
          onClose();
        },
      },
    );
  return (
    <Modal
      open
      title={t('evaluations.vetoTitle', { period: results.period })}
      okText={t('evaluations.veto')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={veto.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Typography.Paragraph type="secondary">{t('evaluations.vetoHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={() => veto.error && veto.reset()}>
        <Form.Item label={t('evaluations.vetoUnit')} name="unit" rules={[{ required: true, message: t('evaluations.pickUnit') }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} placeholder={t('evaluations.pickUnit')} options={results.rows.map((row) => ({ value: row.unit, label: `${row.unit} ${row.unitName}` }))} />
        </Form.Item>
        <Form.Item label={t('evaluations.vetoReason')} name="reason" rules={[{ required: true, whitespace: true, message: t('evaluations.vetoReasonRequired') }, { max: 1000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
      {veto.error ? <Alert type="error" showIcon role="alert" title={describeError(veto.error)} /> : null}
    </Modal>
  );
}
