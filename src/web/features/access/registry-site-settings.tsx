import { Alert, App, Button, Col, Flex, Form, InputNumber, Radio, Row, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermission } from '../../app/session';
import { ACCESS_LEVELS, TEMPERATURE_MODES, useFormErrors, type AccessLevel } from './registry-parts';
import { usePatchSite, type Site } from './registry-queries';

interface SettingsValues {
  accessLevel: AccessLevel;
  temperatureMode: Site['temperatureMode'];
  feverThresholdC: number;
  quotaOn: boolean;
  quotaDays: number;
  quotaCount: number;
  capacity: number | null;
}

const known = new Set(['accessLevel', 'temperatureMode', 'feverThresholdC', 'capacity']);

/**
 * The rules of a site at its gates: the access level (a change asks for confirmation and says
 * what it does), the temperature mode and fever threshold, the household quota, the capacity.
 */
export function RegistrySiteSettings({ site }: { site: Site }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const can = usePermission();
  const readOnly = !can('access.write');
  const [form] = Form.useForm<SettingsValues>();
  const patch = usePatchSite();
  const quotaOn = Form.useWatch('quotaOn', form);
  const level = Form.useWatch('accessLevel', form);
  const [problem, setProblem] = useState<string | null>(null);
  const formErrors = useFormErrors<SettingsValues>({});

  const save = (v: SettingsValues) => {
    setProblem(null);
    const body = {
      version: site.version,
      accessLevel: v.accessLevel,
      temperatureMode: v.temperatureMode,
      feverThresholdC: Math.round(v.feverThresholdC * 10) / 10,
      householdQuota: v.quotaOn ? { days: v.quotaDays, count: v.quotaCount } : null,
      capacity: v.capacity ?? null,
    };
    return patch.mutateAsync({ code: site.code, body }).then(
      () => void message.success(t('common.saved')),
      (error: unknown) => setProblem(formErrors(form, error, known)),
    );
  };

  const submit = (v: SettingsValues) => {
    if (v.accessLevel === site.accessLevel) {
      void save(v);
      return;
    }
    void modal.confirm({
      title: t('accessRegistry.settings.confirmTitle', { from: t(`accessRegistry.levels.${site.accessLevel}`), to: t(`accessRegistry.levels.${v.accessLevel}`) }),
      content: t(`accessRegistry.settings.effect.${v.accessLevel}`),
      okText: t('accessRegistry.settings.confirmOk'),
      okButtonProps: { danger: v.accessLevel === 'closed' },
      onOk: () => save(v),
    });
  };

  return (
    <Form<SettingsValues>
      form={form}
      layout="vertical"
      disabled={readOnly}
      onFinish={submit}
      initialValues={{
        accessLevel: site.accessLevel,
        temperatureMode: site.temperatureMode,
        feverThresholdC: site.feverThresholdC,
        quotaOn: site.householdQuota !== null,
        quotaDays: site.householdQuota?.days ?? 2,
        quotaCount: site.householdQuota?.count ?? 1,
        capacity: site.capacity,
      }}
      style={{ maxWidth: 720 }}
    >
      {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
      <Form.Item name="accessLevel" label={t('accessRegistry.site.accessLevel')} extra={level ? t(`accessRegistry.settings.effect.${level}`) : null}>
        <Radio.Group optionType="button" buttonStyle="solid" options={ACCESS_LEVELS.map((l) => ({ value: l, label: t(`accessRegistry.levels.${l}`) }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="temperatureMode" label={t('accessRegistry.settings.temperatureMode')}>
            <Select options={TEMPERATURE_MODES.map((m) => ({ value: m, label: t(`accessRegistry.temperatureModes.${m}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="feverThresholdC" label={t('accessRegistry.settings.feverThreshold')} rules={[{ required: true, type: 'number', min: 35, max: 42 }]}>
            <InputNumber min={35} max={42} step={0.1} precision={1} suffix="℃" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="quotaOn" label={t('accessRegistry.settings.quota')} valuePropName="checked" extra={t('accessRegistry.settings.quotaHint')}>
        <Switch />
      </Form.Item>
      {quotaOn ? (
        <Flex gap={8} align="baseline" wrap>
          <Typography.Text>{t('accessRegistry.settings.quotaEvery')}</Typography.Text>
          <Form.Item name="quotaDays" rules={[{ required: true, type: 'number', min: 1, max: 30 }]}>
            <InputNumber min={1} max={30} precision={0} aria-label={t('accessRegistry.settings.quotaDays')} />
          </Form.Item>
          <Typography.Text>{t('accessRegistry.settings.quotaDaysAtMost')}</Typography.Text>
          <Form.Item name="quotaCount" rules={[{ required: true, type: 'number', min: 1, max: 20 }]}>
            <InputNumber min={1} max={20} precision={0} aria-label={t('accessRegistry.settings.quotaCount')} />
          </Form.Item>
          <Typography.Text>{t('accessRegistry.settings.quotaMembersOut')}</Typography.Text>
        </Flex>
      ) : null}
      <Form.Item name="capacity" label={t('accessRegistry.site.capacity')} extra={t('accessRegistry.settings.capacityHint')}>
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} />
      </Form.Item>
      {readOnly ? null : (
        <Button type="primary" htmlType="submit" loading={patch.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}
