import { Alert, App, AutoComplete, DatePicker, Flex, Form, Input, InputNumber, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../access/live-parts';
import { formatYuan, shanghaiToday, useSupportError } from './support-parts';
import { useCreateDonation } from './support-queries';

interface DonationForm {
  donor: string;
  amount: string | null;
  date: Dayjs;
  purpose?: string;
  note?: string;
}

/** The dialog recording a donation (donations-page.tsx loads it when first opened). */
export function AddDonationModal({ open, onClose, purposes }: { open: boolean; onClose: () => void; purposes: string[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useSupportError();
  const [form] = Form.useForm<DonationForm>();
  const create = useCreateDonation();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (v: DonationForm) => {
    setFailure(null);
    create.mutate(
      { donor: v.donor.trim(), amount: v.amount ?? '', date: v.date.format('YYYY-MM-DD'), purpose: v.purpose?.trim() || null, note: v.note?.trim() || null },
      {
        onSuccess: (d) => {
          void message.success(t('healthSupport.donations.created', { donor: d.donor, amount: formatYuan(d.amount) }));
          form.resetFields();
          onClose();
        },
        onError: (error) => {
          if (!showFieldErrors(form, error, { donor: 'donor', amount: 'amount', date: 'date', purpose: 'purpose', note: 'note' })) setFailure(describe(error));
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('healthSupport.donations.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<DonationForm> form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs(shanghaiToday()) }}>
        <Form.Item name="donor" label={t('healthSupport.donations.donor')} extra={t('healthSupport.donations.donorHint')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthSupport.donations.donor') }) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="amount" label={t('healthSupport.donations.amount')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthSupport.donations.amount') }) }]} style={{ flex: 1, minWidth: 180 }}>
            <InputNumber<string> stringMode min="0.01" max="999999999999.99" precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="date" label={t('healthSupport.common.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
        </Flex>
        <Form.Item name="purpose" label={t('healthSupport.donations.purpose')}>
          <AutoComplete options={purposes.map((p) => ({ value: p }))} maxLength={200} placeholder={t('healthSupport.donations.purposePlaceholder')} />
        </Form.Item>
        <Form.Item name="note" label={t('healthSupport.common.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}
