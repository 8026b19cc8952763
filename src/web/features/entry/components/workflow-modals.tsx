import { Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Asks for the text a workflow step needs: the comment of a return, the reason of a reopening. */
export function TextReasonModal({
  kind,
  pending,
  onSubmit,
  onClose,
}: {
  kind: 'return' | 'reopen';
  pending: boolean;
  onSubmit: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text: string }>();
  const isReturn = kind === 'return';
  return (
    <Modal
      open
      title={isReturn ? t('entry.returnTitle') : t('entry.reopenTitle')}
      okText={isReturn ? t('entry.return') : t('entry.reopen')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {isReturn ? null : <Typography.Paragraph type="secondary">{t('entry.reopenHint')}</Typography.Paragraph>}
      <Form form={form} layout="vertical" onFinish={({ text }) => onSubmit(text.trim())}>
        <Form.Item
          name="text"
          label={isReturn ? t('entry.returnComment') : t('entry.reopenReason')}
          rules={[
            { required: true, whitespace: true, message: isReturn ? t('entry.returnCommentRequired') : t('entry.reopenReasonRequired') },
            { max: 1000 },
          ]}
        >
          <Input.TextArea rows={3} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
