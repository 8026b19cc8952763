import { Alert, App, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PersonPicker, showFieldErrors } from '../../access/live-parts';
import { CASE_REASONS, useHealthError, useTemperatureRules } from './cases-parts';
import { downloadLedger, useOpenCase, type CaseReason, type LedgerFilter } from './cases-queries';

// The dialogs of the cases ledger (cases-page.tsx loads them when one first opens).

interface OpenForm {
  person?: string | string[] | null;
  reason: CaseReason;
  classification: 'unclassified' | 'suspected' | 'confirmed';
  temperatureC?: number | null;
  note?: string;
}

/** Opening a case by hand (手工登记): the person, the reason, a first classification. */
export function OpenCaseModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const describe = useHealthError();
  const [form] = Form.useForm<OpenForm>();
  const openCase = useOpenCase();
  const temperatureRules = useTemperatureRules(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (v: OpenForm) => {
    setFailure(null);
    const person = Array.isArray(v.person) ? v.person[0] : v.person;
    openCase.mutate(
      {
        person: person ?? '',
        reason: v.reason,
        classification: v.classification,
        ...(v.temperatureC !== null && v.temperatureC !== undefined ? { temperatureC: v.temperatureC } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      },
      {
        onSuccess: (r) => {
          void message.success(r.opened ? t('healthCases.cases.openedOk', { number: r.number }) : t('healthCases.cases.openedExisting', { number: r.number }));
          form.resetFields();
          onClose();
          void navigate(`/health/cases/${r.id}`);
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, { person: 'person', reason: 'reason', temperatureC: 'temperatureC', note: 'note' })) setFailure(describe(e));
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('healthCases.cases.openByHand')}
      okText={t('healthCases.cases.openOk')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={openCase.isPending}
      destroyOnHidden
    >
      <Form<OpenForm> form={form} layout="vertical" onFinish={submit} initialValues={{ reason: 'OTHER', classification: 'unclassified' }}>
        <Form.Item name="person" label={t('healthCases.common.person')} extra={t('healthCases.cases.personHint')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthCases.common.person') }) }]}>
          <PersonPicker />
        </Form.Item>
        <Form.Item name="reason" label={t('healthCases.common.reason')}>
          <Select options={CASE_REASONS.map((r) => ({ value: r, label: t(`healthCases.reasons.${r}`) }))} />
        </Form.Item>
        <Form.Item name="classification" label={t('healthCases.common.classification')} extra={t('healthCases.cases.classificationHint')}>
          <Select options={(['unclassified', 'suspected', 'confirmed'] as const).map((c) => ({ value: c, label: t(`healthCases.classifications.${c}`) }))} />
        </Form.Item>
        <Form.Item name="temperatureC" label={t('healthCases.common.temperatureC')} rules={temperatureRules}>
          <InputNumber min={30} max={45} step={0.1} style={{ width: 160 }} inputMode="decimal" />
        </Form.Item>
        <Form.Item name="note" label={t('healthCases.common.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

/** The export with full names: asks why (audited with the reason). */
export function UnmaskExportModal({ open, onClose, filter }: { open: boolean; onClose: () => void; filter: Omit<LedgerFilter, 'page' | 'pageSize'> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const ok = [...reason.trim()].length >= 4;
  const run = () => {
    setBusy(true);
    downloadLedger(filter, reason.trim()).then(
      () => {
        setBusy(false);
        setReason('');
        void message.success(t('healthCases.cases.unmaskedDone'));
        onClose();
      },
      (e: unknown) => {
        setBusy(false);
        void message.error(describe(e));
      },
    );
  };
  return (
    <Modal
      open={open}
      title={t('healthCases.cases.exportUnmasked')}
      okText={t('healthCases.cases.exportOk')}
      okButtonProps={{ danger: true, disabled: !ok }}
      cancelText={t('common.cancel')}
      onOk={run}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Flex vertical gap={8}>
        <Alert type="warning" showIcon title={t('healthCases.cases.unmaskWarning')} />
        {filter.reason ? <Typography.Text type="secondary">{t('healthCases.cases.unmaskReasonFilter')}</Typography.Text> : null}
        <Input.TextArea aria-label={t('healthCases.cases.unmaskReason')} placeholder={t('healthCases.cases.unmaskReason')} rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        {!ok ? <Typography.Text type="secondary">{t('healthCases.cases.unmaskReasonHint')}</Typography.Text> : null}
      </Flex>
    </Modal>
  );
}
