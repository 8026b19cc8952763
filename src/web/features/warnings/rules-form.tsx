import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Drawer, Flex, Form, Grid, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Indicator } from '../../../server/modules/indicators/indicators.schemas';
import { ApiError } from '../../app/api-client';
import { useErrorMessage } from '../../app/errors';
import { noValue } from '../benchmarking/format';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useCreateWarningRule, useUpdateWarningRule, type CreateRuleInput, type PutRuleInput, type WarningRule } from './queries';
import { defaultParams, isChartCode, lightColors, lightConditions, paramKeys, ruleCodeGroups, type LightRow } from './rules-sentence';

type NamePath = (string | number)[];

interface FormValues {
  code: string;
  unit: string | null;
  params: Record<string, unknown> & { lights?: LightRow[] };
  holdPeriods: number | null;
  notify: 'once' | 'every';
  mute: { range: [Dayjs | null, Dayjs | null] | null }[];
  enabled: boolean;
}

/** Where a 400's `path` (e.g. `body/params/periods`, `body/mute/0/from`) shows in the form; null: above it. */
function fieldOf(path: string, code: string): NamePath | null {
  const parts: (string | number)[] = path
    .replace(/^body\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const [head, second, third, fourth] = parts;
  if (parts.length === 1 && (head === 'holdPeriods' || head === 'notify' || head === 'enabled' || head === 'code' || head === 'unit')) return [head];
  if (head === 'mute' && typeof second === 'number') return ['mute', second, 'range'];
  if (head === 'params' && typeof second === 'string' && paramKeys(code).includes(second)) {
    if (second === 'lights' && typeof third === 'number' && (fourth === 'light' || fourth === 'when')) return ['params', 'lights', third, fourth];
    if (second !== 'lights') return ['params', second];
  }
  return null;
}

/** The sentences a VALIDATION_FAILED or a 422 answer says, put under their fields. */
function useServerProblems(code: string) {
  const { t } = useTranslation();
  const describeError = useErrorMessage();
  const wordsOf = (message: string): string => {
    const min = /expected [a-z]+ to (?:be|have) >=?\s*(-?[\d.]+)/.exec(message);
    if (min && /Too small/i.test(message)) return t('warningRules.errors.min', { min: min[1] });
    const max = /expected [a-z]+ to (?:be|have) <=?\s*(-?[\d.]+)/.exec(message);
    if (max && /Too big/i.test(message)) return t('warningRules.errors.max', { max: max[1] });
    if (/ends after it starts/.test(message)) return t('warningRules.errors.muteOrder');
    return message;
  };
  return (error: unknown): { fields: { name: NamePath; errors: string[] }[]; general: string[] } => {
    if (!(error instanceof ApiError)) return { fields: [], general: [describeError(error)] };
    if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
      const byField = new Map<string, { name: NamePath; errors: string[] }>();
      const general: string[] = [];
      for (const issue of error.details as { path?: unknown; message?: unknown; keys?: unknown }[]) {
        const path = typeof issue.path === 'string' ? issue.path : '';
        const words = wordsOf(typeof issue.message === 'string' ? issue.message : '') + (Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '');
        const name = fieldOf(path, code);
        if (!name) {
          general.push(`${path.replace(/^body\/?/, '') || t('warningRules.params')}: ${words}`);
          continue;
        }
        const key = name.join('.');
        byField.set(key, { name, errors: [...(byField.get(key)?.errors ?? []), words] });
      }
      return { fields: [...byField.values()], general };
    }
    if (error.code === 'WARNING_RULE_INVALID') {
      const about = (error.details as { code?: unknown } | null)?.code;
      if (about === 'EN_QUALITY') return { fields: [{ name: ['unit'], errors: [t('warningRules.errors.qualityUnit')] }], general: [] };
      const words = about === 'DQ_RANGE' ? t('warningRules.errors.noRange') : about === 'DQ_MISSING' ? t('warningRules.errors.computed') : error.message;
      return { fields: [{ name: ['code'], errors: [words] }], general: [] };
    }
    if (error.code === 'WARNING_RULE_CODE_FIXED') return { fields: [{ name: ['code'], errors: [t('warningRules.errors.codeFixed')] }], general: [] };
    if (error.code === 'INDICATOR_NOT_ASSIGNED' || error.code === 'UNIT_NOT_FOUND') return { fields: [{ name: ['unit'], errors: [describeError(error)] }], general: [] };
    return { fields: [], general: [describeError(error)] };
  };
}

/** The parameters the form sends for a code: only that code's keys (the server refuses others). */
function paramsOf(code: string, params: FormValues['params']): Record<string, unknown> {
  if (code === 'TARGET') return { lights: (params.lights ?? []).map((l) => ({ light: l.light, when: l.when })) };
  const out: Record<string, unknown> = {};
  for (const key of paramKeys(code)) {
    const value = params[key];
    if (key === 'baselineFrom') out[key] = typeof value === 'string' && value.trim() ? value.trim() : null;
    else if (key === 'meter') out[key] = typeof value === 'string' ? value.trim() : '';
    else if (key === 'screenRanges') out[key] = value === true;
    else out[key] = value ?? null;
  }
  return out;
}

/** The parameters of a code, as fields: a different form for each code. */
function ParamsFields({ code, indicator }: { code: string; indicator: Indicator }) {
  const { t } = useTranslation();
  const number = (name: string, label: string, help?: string, step?: number) => (
    <Form.Item key={name} name={['params', name]} label={label} extra={help} rules={[{ required: true, message: label }]}>
      <InputNumber step={step ?? 1} style={{ width: 160 }} />
    </Form.Item>
  );
  if (code === 'TARGET') {
    return (
      <>
        <Typography.Text strong>{t('warningRules.lights.title')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('warningRules.lights.help')}
          {indicator.direction === 'band' ? ` ${t('warningRules.lights.bandNote')}` : ''}
        </Typography.Paragraph>
        <Form.List name={['params', 'lights']}>
          {(fields, { add, remove, move }) => (
            <Flex vertical gap={4} style={{ marginBottom: 16 }}>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="start" wrap>
                  <Typography.Text className="num" style={{ width: 20, lineHeight: '32px' }}>
                    {index + 1}.
                  </Typography.Text>
                  <Form.Item name={[field.name, 'when']} style={{ marginBottom: 4 }} rules={[{ required: true, message: t('warningRules.lights.when') }]}>
                    <Select aria-label={`${t('warningRules.lights.when')} ${index + 1}`} options={lightConditions.map((c) => ({ value: c, label: t(`warningRules.lights.whens.${c}`) }))} style={{ width: 140 }} />
                  </Form.Item>
                  <Typography.Text style={{ lineHeight: '32px' }}>→</Typography.Text>
                  <Form.Item name={[field.name, 'light']} style={{ marginBottom: 4 }} rules={[{ required: true, message: t('warningRules.lights.light') }]}>
                    <Select aria-label={`${t('warningRules.lights.light')} ${index + 1}`} options={lightColors.map((c) => ({ value: c, label: t(`warningRules.lights.colors.${c}`) }))} style={{ width: 100 }} />
                  </Form.Item>
                  <Button icon={<ArrowUpOutlined aria-hidden />} aria-label={t('warningRules.lights.upLabel', { n: index + 1 })} disabled={index === 0} onClick={() => move(index, index - 1)} />
                  <Button icon={<ArrowDownOutlined aria-hidden />} aria-label={t('warningRules.lights.downLabel', { n: index + 1 })} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} />
                  <Button icon={<DeleteOutlined aria-hidden />} aria-label={t('warningRules.lights.removeLabel', { n: index + 1 })} disabled={fields.length <= 1} onClick={() => remove(field.name)} />
                </Flex>
              ))}
              <Button icon={<PlusOutlined aria-hidden />} disabled={fields.length >= 6} onClick={() => add({ light: 'red', when: 'any' })} style={{ alignSelf: 'flex-start' }}>
                {t('warningRules.lights.add')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </>
    );
  }
  if (code === 'GAP_WIDENING') {
    return (
      <>
        {number('periods', t('warningRules.gap.periods'))}
        <Form.Item label={t('warningRules.gap.benchmark')}>
          <Typography.Text type="secondary">
            {t('warningRules.gap.benchmarkValue')} <Link to="/selections">{t('warningRules.gap.openSelections')}</Link>
          </Typography.Text>
        </Form.Item>
      </>
    );
  }
  if (isChartCode(code)) {
    return (
      <>
        {number('baselineMonths', t('warningRules.chart.baselineMonths'))}
        <Form.Item name={['params', 'baselineFrom']} label={t('warningRules.chart.baselineFrom')} extra={t('warningRules.chart.baselineFromHelp')}>
          <Input placeholder="YYYY-MM" allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name={['params', 'screenRanges']} label={t('warningRules.chart.screenRanges')} extra={t('warningRules.chart.screenRangesHelp')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </>
    );
  }
  if (code === 'DQ_RANGE') {
    const hasRange = indicator.rangeMin !== null || indicator.rangeMax !== null;
    return (
      <Alert
        type={hasRange ? 'info' : 'warning'}
        showIcon
        style={{ marginBottom: 16 }}
        title={hasRange ? t('warningRules.range.uses', { min: indicator.rangeMin ?? noValue, max: indicator.rangeMax ?? noValue }) : t('warningRules.range.none')}
      />
    );
  }
  if (code === 'DQ_STUCK') return number('periods', t('warningRules.stuck.periods'));
  if (code === 'DQ_JUMP') return [number('k', t('warningRules.jump.k'), undefined, 0.5), number('baselineMonths', t('warningRules.jump.baselineMonths'))];
  if (code === 'DQ_MISSING') return [number('deadlineDay', t('warningRules.missing.deadlineDay')), number('lookbackMonths', t('warningRules.missing.lookbackMonths'))];
  if (code === 'EN_QUALITY') return number('lookbackDays', t('warningRules.energy.lookbackDays'), t('warningRules.energy.lookbackHelp'));
  if (code === 'EN_DRIFT' || code === 'EN_CHART') {
    return (
      <>
        <Form.Item name={['params', 'meter']} label={t('warningRules.energy.meter')} extra={t('warningRules.energy.meterHelp')} rules={[{ required: true, whitespace: true, message: t('warningRules.energy.meter') }]}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name={['params', 'baselineFrom']} label={t('warningRules.energy.baselineFrom')} extra={t('warningRules.energy.baselineFromHelp')}>
          <Input placeholder="YYYY-MM-DD" allowClear style={{ width: 160 }} />
        </Form.Item>
        {number('baselineDays', t('warningRules.energy.baselineDays'))}
        {code === 'EN_DRIFT' ? (
          [number('k', t('warningRules.energy.k'), undefined, 0.1), number('h', t('warningRules.energy.h'), undefined, 0.5), number('minR2', t('warningRules.energy.minR2'), undefined, 0.05)]
        ) : (
          <Form.Item name={['params', 'rules']} label={t('warningRules.energy.rules')} rules={[{ required: true, message: t('warningRules.energy.rules') }]}>
            <Select mode="multiple" style={{ width: '100%' }} options={ruleCodeGroups.filter((g) => g.key === 'westernElectric' || g.key === 'nelson').flatMap((g) => g.codes.map((c) => ({ value: c, label: `${c} · ${t(`warnings.rules.${c}`, { defaultValue: c })}` })))} />
          </Form.Item>
        )}
      </>
    );
  }
  return null;
}

/**
 * Adds a rule to an indicator, or edits one: the code (fixed once saved), its parameters, the
 * debounce, notices, mute windows and the switch. The server validates; its errors show at the fields.
 */
export function RuleFormDrawer({ indicator, indicatorLabel, rule, nextSortOrder, onClose, onSaved }: { indicator: Indicator; indicatorLabel: string; rule: WarningRule | null; nextSortOrder: number; onClose: () => void; onSaved: (rule: WarningRule, created: boolean) => void }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateWarningRule();
  const update = useUpdateWarningRule();
  const mutation = rule ? update : create;
  const [general, setGeneral] = useState<string[]>([]);
  const watchedCode = Form.useWatch('code', form) as string | undefined;
  const code = rule?.code ?? watchedCode ?? '';
  const problemsOf = useServerProblems(code);

  const initialValues: FormValues = rule
    ? {
        code: rule.code,
        unit: rule.unit,
        params: { ...defaultParams(rule.code), ...rule.params },
        holdPeriods: rule.holdPeriods,
        notify: rule.notify,
        mute: rule.mute.map((w) => ({ range: [dayjs(w.from), dayjs(w.to)] })),
        enabled: rule.enabled,
      }
    : { code: '', unit: null, params: {}, holdPeriods: 1, notify: 'once', mute: [], enabled: true };

  const onError = (error: unknown) => {
    const { fields, general: above } = problemsOf(error);
    form.setFields(fields.map((f) => ({ name: f.name as never, errors: f.errors })));
    setGeneral(above);
  };

  const save = (values: FormValues) => {
    setGeneral([]);
    const common = {
      code: values.code,
      params: paramsOf(values.code, values.params ?? {}),
      holdPeriods: values.holdPeriods,
      notify: values.notify,
      mute: (values.mute ?? []).map((w) => ({ from: w.range?.[0]?.toISOString() ?? '', to: w.range?.[1]?.toISOString() ?? '' })),
      enabled: values.enabled,
    };
    if (rule) {
      update.mutate({ id: rule.id, ...common, code: rule.code, sortOrder: rule.sortOrder, version: rule.version } as PutRuleInput & { id: string }, { onSuccess: (saved) => onSaved(saved, false), onError });
    } else {
      create.mutate({ indicator: indicator.code, unit: values.unit ?? null, ...common, sortOrder: nextSortOrder } as CreateRuleInput, { onSuccess: (saved) => onSaved(saved, true), onError });
    }
  };

  const submit = (values: FormValues) => {
    if (rule?.enabled && values.enabled === false) {
      void modal.confirm({
        title: t('warningRules.disableTitle'),
        content: t('warningRules.disableConfirm', { code: rule.code, indicator: indicatorLabel }),
        okText: t('warningRules.disable'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: () => save(values),
      });
      return;
    }
    save(values);
  };

  return (
    <Drawer
      open
      title={rule ? t('warningRules.editTitle', { code: rule.code }) : t('warningRules.addTitle', { indicator: indicatorLabel })}
      size={screens.md ? 560 : '100%'}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Flex gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()}>
            {t('warningRules.save')}
          </Button>
        </Flex>
      }
    >
      <Form<FormValues>
        form={form}
        name="warningRule"
        layout="vertical"
        initialValues={initialValues}
        onFinish={submit}
        onValuesChange={(changed: Partial<FormValues>) => {
          if (changed.code && !rule) form.setFieldsValue({ params: defaultParams(changed.code) });
          if (general.length) setGeneral([]);
        }}
      >
        {general.length ? <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={general.join('；')} /> : null}
        <Form.Item name="code" label={t('warningRules.code')} extra={rule ? t('warningRules.codeFixed') : undefined} rules={[{ required: true, message: t('warningRules.code') }]}>
          <Select
            disabled={Boolean(rule)}
            showSearch={{ optionFilterProp: 'label' }}
            options={ruleCodeGroups.map((g) => ({
              label: t(`warningRules.groups.${g.key}`),
              title: g.key,
              options: g.codes.map((c) => ({ value: c, label: `${c} · ${t(`warnings.rules.${c}`, { defaultValue: c })}` })),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="unit"
          label={t('warningRules.unit')}
          extra={rule ? undefined : code === 'EN_QUALITY' ? t('warningRules.errors.qualityUnit') : t('warningRules.unitHelp')}
          rules={code === 'EN_QUALITY' && !rule ? [{ required: true, message: t('warningRules.errors.qualityUnit') }] : undefined}
        >
          <UnitTreeSelect valueField="code" allowClear disabled={Boolean(rule)} placeholder={t('warningRules.allUnits')} />
        </Form.Item>
        {code ? (
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 'inherit', fontWeight: 600, marginBottom: 8 }}>{t('warningRules.params')}</legend>
            <ParamsFields code={code} indicator={indicator} />
          </fieldset>
        ) : null}
        <Form.Item name="holdPeriods" label={t('warningRules.holdPeriods')} extra={t('warningRules.holdHelp')} rules={[{ required: true, message: t('warningRules.holdPeriods') }]}>
          <InputNumber style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="notify" label={t('warningRules.notify')}>
          <Radio.Group options={(['once', 'every'] as const).map((n) => ({ value: n, label: t(`warningRules.notifyOptions.${n}`) }))} />
        </Form.Item>
        <Form.Item label={t('warningRules.mute')} extra={t('warningRules.muteHelp')}>
          <Form.List name="mute">
            {(fields, { add, remove }) => (
              <Flex vertical gap={4}>
                {fields.map((field, index) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item
                      name={[field.name, 'range']}
                      style={{ marginBottom: 4, flex: 1 }}
                      rules={[{ validator: (_r, v: [Dayjs | null, Dayjs | null] | null) => (v?.[0] && v?.[1] ? Promise.resolve() : Promise.reject(new Error(t('warningRules.errors.muteOrder')))) }]}
                    >
                      <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder={[t('warningRules.muteFrom'), t('warningRules.muteTo')]} style={{ width: '100%' }} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined aria-hidden />} aria-label={t('warningRules.removeMuteLabel', { n: index + 1 })} onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ range: null })} style={{ alignSelf: 'flex-start' }}>
                  {t('warningRules.addMute')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="enabled" label={t('warningRules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
