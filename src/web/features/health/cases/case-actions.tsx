import { Alert, App, AutoComplete, DatePicker, Form, Input, InputNumber, Modal, Select, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PersonPicker, shanghaiToday, showFieldErrors } from '../../access/live-parts';
import { CERTAINTIES, CLASSIFICATIONS, EXPOSURE_TYPES, OUTCOMES, useHealthError, useTemperatureRules } from './cases-parts';
import {
  useCaseFollowUp,
  useClassifyCase,
  useCloseCase,
  useCreateExposure,
  type CaseCard,
  type Certainty,
  type Classification,
  type CreatedExposure,
  type ExposureType,
  type Outcome,
} from './cases-queries';

/** Words a follow-up usually records (free text stays possible). */
const conditionHints = ['conditionNormal', 'conditionCough', 'conditionFatigue', 'conditionFever', 'conditionUnreachable'] as const;

interface FollowUpForm {
  temperatureC?: number | null;
  condition: string;
  action?: string;
}

/** 随访: who checked (the signed-in user), the temperature, the condition and the action taken. */
export function FollowUpModal({ card, open, onClose }: { card: CaseCard; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const [form] = Form.useForm<FollowUpForm>();
  const followUp = useCaseFollowUp(card.case.id);
  const temperatureRules = useTemperatureRules(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = (v: FollowUpForm) => {
    setFailure(null);
    followUp.mutate(
      {
        condition: v.condition.trim(),
        ...(v.temperatureC !== null && v.temperatureC !== undefined ? { temperatureC: v.temperatureC } : {}),
        ...(v.action?.trim() ? { action: v.action.trim() } : {}),
      },
      {
        onSuccess: (r) => {
          void (r.fever ? message.warning(t('healthCases.card.followUpFever')) : message.success(t('healthCases.card.followUpSaved')));
          form.resetFields();
          onClose();
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, { temperatureC: 'temperatureC', condition: 'condition', action: 'action' })) setFailure(describe(e));
        },
      },
    );
  };
  return (
    <Modal open={open} title={t('healthCases.card.addFollowUp')} okText={t('common.save')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={followUp.isPending} destroyOnHidden>
      <Form<FollowUpForm> form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="temperatureC" label={t('healthCases.common.temperatureC')} rules={temperatureRules} extra={t('healthCases.card.feverAt', { threshold: card.case.feverThresholdC.toFixed(1) })}>
          <InputNumber min={30} max={45} step={0.1} style={{ width: 160 }} inputMode="decimal" />
        </Form.Item>
        <Form.Item name="condition" label={t('healthCases.card.condition')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthCases.card.condition') }) }]}>
          <AutoComplete options={conditionHints.map((k) => ({ value: t(`healthCases.card.${k}`) }))} maxLength={500} />
        </Form.Item>
        <Form.Item name="action" label={t('healthCases.card.action')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('healthCases.card.actionHint')} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

interface ClassifyForm {
  classification: Classification;
  note: string;
}

/** 分类: suspected, confirmed or excluded, with a note; "confirmed" asks once more (the person turns red). */
export function ClassifyModal({ card, open, onClose }: { card: CaseCard; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useHealthError();
  const [form] = Form.useForm<ClassifyForm>();
  const classify = useClassifyCase(card.case.id);
  const [failure, setFailure] = useState<string | null>(null);
  const send = (v: ClassifyForm) =>
    classify.mutateAsync({ classification: v.classification, note: v.note.trim(), version: card.case.version }).then(
      () => {
        void message.success(t('healthCases.card.classified', { classification: t(`healthCases.classifications.${v.classification}`) }));
        form.resetFields();
        onClose();
      },
      (e: unknown) => {
        if (!showFieldErrors(form, e, { classification: 'classification', note: 'note' })) setFailure(describe(e));
      },
    );
  const submit = (v: ClassifyForm) => {
    setFailure(null);
    if (v.classification === 'confirmed') {
      void modal.confirm({
        title: t('healthCases.card.confirmConfirmedTitle'),
        content: t('healthCases.card.confirmConfirmed', { name: card.person.name, code: card.person.code }),
        okText: t('healthCases.card.confirmConfirmedOk'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: () => send(v),
      });
    } else void send(v);
  };
  return (
    <Modal open={open} title={t('healthCases.card.classify')} okText={t('common.save')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={classify.isPending} destroyOnHidden>
      <Form<ClassifyForm> form={form} layout="vertical" onFinish={submit}>
        <Typography.Paragraph type="secondary">{t('healthCases.card.classifyHint')}</Typography.Paragraph>
        <Form.Item name="classification" label={t('healthCases.common.classification')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthCases.common.classification') }) }]}>
          <Select options={CLASSIFICATIONS.filter((c) => c !== card.case.classification).map((c) => ({ value: c, label: t(`healthCases.classifications.${c}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('healthCases.common.note')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthCases.common.note') }) }]}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('healthCases.card.classifyNoteHint')} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

interface CloseForm {
  outcome: Outcome;
  note: string;
}

/** 结案: the outcome and a note, after a confirmation (a closed case takes no more follow-ups). */
export function CloseModal({ card, open, onClose }: { card: CaseCard; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const describe = useHealthError();
  const [form] = Form.useForm<CloseForm>();
  const close = useCloseCase(card.case.id);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = (v: CloseForm) => {
    setFailure(null);
    void modal.confirm({
      title: t('healthCases.card.closeConfirmTitle', { number: card.case.number }),
      content: t('healthCases.card.closeConfirm', { outcome: t(`healthCases.outcomes.${v.outcome}`) }),
      okText: t('healthCases.card.closeOk'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        close.mutateAsync({ outcome: v.outcome, note: v.note.trim(), version: card.case.version }).then(
          () => {
            void message.success(t('healthCases.card.closed'));
            form.resetFields();
            onClose();
          },
          (e: unknown) => {
            if (!showFieldErrors(form, e, { outcome: 'outcome', note: 'note' })) setFailure(describe(e));
          },
        ),
    });
  };
  return (
    <Modal open={open} title={t('healthCases.card.close')} okText={t('healthCases.card.closeNext')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={close.isPending} destroyOnHidden>
      <Form<CloseForm> form={form} layout="vertical" onFinish={submit} initialValues={{ outcome: card.case.classification === 'excluded' ? 'excluded' : 'recovered' }}>
        <Form.Item name="outcome" label={t('healthCases.card.outcome')} rules={[{ required: true }]}>
          <Select options={OUTCOMES.map((o) => ({ value: o, label: t(`healthCases.outcomes.${o}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('healthCases.common.note')} rules={[{ required: true, whitespace: true, message: t('common.fieldRequired', { field: t('healthCases.common.note') }) }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}

interface ExposureForm {
  contact?: string | string[] | null;
  date: Dayjs;
  type: ExposureType;
  certainty: Certainty;
  close: boolean;
  note?: string;
}

/** 添加接触者: the contact, the day, the kind of contact and its certainty; a close contact is quarantined. */
export function ExposureModal({ card, open, onClose, onCreated }: { card: CaseCard; open: boolean; onClose: () => void; onCreated: (r: CreatedExposure, contact: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const [form] = Form.useForm<ExposureForm>();
  const create = useCreateExposure();
  const close = Form.useWatch('close', form) ?? true;
  const [failure, setFailure] = useState<string | null>(null);
  const today = shanghaiToday();
  const submit = (v: ExposureForm) => {
    setFailure(null);
    const contact = (Array.isArray(v.contact) ? v.contact[0] : v.contact) ?? '';
    create.mutate(
      { case: card.person.code, contact, date: v.date.format('YYYY-MM-DD'), type: v.type, certainty: v.certainty, close: v.close, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
      {
        onSuccess: (r) => {
          void message.success(r.quarantineId ? t('healthCases.card.exposureQuarantined') : t('healthCases.card.exposureSaved'));
          form.resetFields();
          onCreated(r, contact);
          onClose();
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, { contact: 'contact', date: 'date', type: 'type', certainty: 'certainty', note: 'note' })) setFailure(describe(e));
        },
      },
    );
  };
  return (
    <Modal open={open} title={t('healthCases.card.addExposure')} okText={t('common.save')} cancelText={t('common.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden>
      <Form<ExposureForm> form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs(today), type: 'household', certainty: 'high', close: true }}>
        <Typography.Paragraph type="secondary">{t('healthCases.card.exposureOf', { name: card.person.name, code: card.person.code })}</Typography.Paragraph>
        <Form.Item name="contact" label={t('healthCases.card.contact')} rules={[{ required: true, message: t('common.fieldRequired', { field: t('healthCases.card.contact') }) }]}>
          <PersonPicker />
        </Form.Item>
        <Form.Item name="date" label={t('healthCases.card.exposureDate')} rules={[{ required: true }]} extra={t('healthCases.card.exposureDateHint')}>
          <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
        </Form.Item>
        <Form.Item name="type" label={t('healthCases.card.exposureType')}>
          <Select options={EXPOSURE_TYPES.map((x) => ({ value: x, label: t(`healthCases.exposureTypes.${x}`) }))} />
        </Form.Item>
        <Form.Item name="certainty" label={t('healthCases.card.certainty')}>
          <Select options={CERTAINTIES.map((x) => ({ value: x, label: t(`healthCases.certainties.${x}`) }))} />
        </Form.Item>
        <Form.Item name="close" label={t('healthCases.card.closeContact')} valuePropName="checked" extra={close ? t('healthCases.card.closeContactHint') : t('healthCases.card.notCloseHint')}>
          <Switch />
        </Form.Item>
        <Form.Item name="note" label={t('healthCases.common.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        {failure ? <Alert type="error" showIcon title={failure} /> : null}
      </Form>
    </Modal>
  );
}
