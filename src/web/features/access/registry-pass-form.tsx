import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, DatePicker, Flex, Form, Input, Modal, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RegistrySiteSelect, todayIso, useFormErrors, useWeekdayLabel } from './registry-parts';
import { RegistryPersonPicker } from './registry-person-picker';
import { useCreatePass, type Pass } from './registry-queries';

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

interface PassValues {
  person: string | null;
  sites: string[];
  validity: [Dayjs, Dayjs];
  windows: { days: number[]; from: string; to: string }[];
  essential: boolean;
}

const known = new Set(['person', 'sites', 'windows', 'essential']);

/**
 * Issue a pass: to `person` (fixed) or to one picked here; for one or more sites, with validity
 * dates, optional time windows (shifts) and the essential flag (may pass a closed site).
 */
export function RegistryPassForm({ person, sites, onClose, onIssued }: { person?: { code: string; name: string }; sites?: string[]; onClose: () => void; onIssued?: (pass: Pass) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PassValues>();
  const create = useCreatePass();
  const day = useWeekdayLabel();
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<PassValues>({ PERSON_NOT_FOUND: 'person', SITE_NOT_FOUND: 'sites', PASS_DATES_INVALID: 'validity' });
  const today = dayjs(todayIso());

  const submit = (v: PassValues) => {
    setProblem(null);
    const holder = person?.code ?? v.person;
    if (!holder) return;
    create.mutate(
      {
        person: holder,
        sites: v.sites,
        validFrom: v.validity[0].format('YYYY-MM-DD'),
        validTo: v.validity[1].format('YYYY-MM-DD'),
        windows: v.windows && v.windows.length > 0 ? v.windows.map((w) => ({ days: [...w.days].sort((a, b) => a - b), from: w.from.trim(), to: w.to.trim() })) : null,
        essential: v.essential,
      },
      {
        onSuccess: (pass) => {
          onIssued?.(pass);
          onClose();
        },
        onError: (error) => setProblem(formErrors(form, error, known)),
      },
    );
  };

  return (
    <Modal
      open
      title={person ? t('accessRegistry.passForm.titleFor', { name: person.name }) : t('accessRegistry.passForm.title')}
      okText={t('accessRegistry.passForm.issue')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      <Form<PassValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ person: null, sites: sites ?? [], validity: [today, today.endOf('year')], windows: [], essential: false }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
        {person ? null : (
          <Form.Item name="person" label={t('accessRegistry.passForm.person')} rules={[{ required: true, message: t('accessRegistry.passForm.personRequired') }]}>
            <RegistryPersonPicker />
          </Form.Item>
        )}
        <Form.Item name="sites" label={t('accessRegistry.passForm.sites')} rules={[{ required: true, type: 'array', min: 1, message: t('accessRegistry.passForm.sitesRequired') }]}>
          <RegistrySiteSelect multiple />
        </Form.Item>
        <Form.Item name="validity" label={t('accessRegistry.passForm.validity')} rules={[{ required: true }]}>
          <DatePicker.RangePicker allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
        <Form.List name="windows">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4} style={{ marginBottom: 16 }}>
              <Typography.Text>{t('accessRegistry.passForm.windows')}</Typography.Text>
              <Typography.Text type="secondary">{t('accessRegistry.passForm.windowsHint')}</Typography.Text>
              {fields.map((field) => (
                <Flex key={field.key} vertical gap={0} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 8px 0' }}>
                  <Form.Item name={[field.name, 'days']} rules={[{ required: true, type: 'array', min: 1, message: t('accessRegistry.passForm.daysRequired') }]} style={{ marginBottom: 8 }}>
                    <Checkbox.Group options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: day(d) }))} />
                  </Form.Item>
                  <Flex gap={8} align="baseline">
                    <Form.Item name={[field.name, 'from']} rules={[{ required: true, pattern: hhmm, message: t('accessRegistry.hhmm') }]}>
                      <Input placeholder="07:00" style={{ width: 90 }} aria-label={t('accessRegistry.from')} />
                    </Form.Item>
                    <span>–</span>
                    <Form.Item name={[field.name, 'to']} rules={[{ required: true, pattern: hhmm, message: t('accessRegistry.hhmm') }]}>
                      <Input placeholder="19:00" style={{ width: 90 }} aria-label={t('accessRegistry.to')} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined aria-hidden />} aria-label={t('accessRegistry.removeWindow')} onClick={() => remove(field.name)} />
                  </Flex>
                </Flex>
              ))}
              {fields.length < 10 ? (
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' })} style={{ alignSelf: 'flex-start' }}>
                  {t('accessRegistry.addWindow')}
                </Button>
              ) : null}
            </Flex>
          )}
        </Form.List>
        <Form.Item name="essential" label={t('accessRegistry.passForm.essential')} valuePropName="checked" extra={t('accessRegistry.passForm.essentialHint')}>
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
