import { Alert, Button, Col, DatePicker, Drawer, Flex, Form, Grid, Input, InputNumber, Row, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateIndicatorBody, Indicator, UpdateIndicatorBody } from '../../../../server/modules/indicators/indicators.schemas';
import { useErrorMessage } from '../../../app/errors';
import {
  aggregationList,
  categoryList,
  directionList,
  frequencyList,
  type Aggregation,
  type Category,
  type Direction,
  type Frequency,
} from '../../benchmarking/vocabulary';
import { UnitTreeSelect } from '../../units/components/unit-tree-select';
import { indicatorProblems } from '../indicator-problems';
import { useCreateIndicator, useIndicators, useUpdateIndicator } from '../queries';


interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  category: Category;
  uom: string;
  precision: number;
  direction: Direction;
  bandCentre: number | null;
  bandTolerance: number | null;
  frequency: Frequency;
  aggregation: Aggregation;
  formula: string;
  scopeText: string;
  scopeTag: string;
  rangeMin: number | null;
  rangeMax: number | null;
  ownerUnitId: string | null;
  description: string;
  validFrom: Dayjs | null;
  validTo: Dayjs | null;
}

const isoDate = (value: Dayjs | null | undefined): string | null => (value ? value.format('YYYY-MM-DD') : null);
const orNull = (value: number | null | undefined): number | null => (typeof value === 'number' ? value : null);

function initialValues(indicator: Indicator | null): Partial<FormValues> {
  if (!indicator) {
    return {
      category: 'production',
      direction: 'higher',
      aggregation: 'sum',
      frequency: 'month',
      precision: 2,
      uom: '',
      scopeText: '',
      scopeTag: '',
      description: '',
      formula: '',
      bandCentre: null,
      bandTolerance: null,
      rangeMin: null,
      rangeMax: null,
      ownerUnitId: null,
      validFrom: dayjs().startOf('year'),
      validTo: null,
    };
  }
  return {
    ...indicator,
    formula: indicator.formula ?? '',
    validFrom: dayjs(indicator.validFrom),
    validTo: indicator.validTo ? dayjs(indicator.validTo) : null,
  };
}

/** The form's values as the API's fields (a formula only for formula indicators, band values only for bands). */
function toFields(values: FormValues): Omit<CreateIndicatorBody, 'code'> {
  const band = values.direction === 'band';
  return {
    nameZh: values.nameZh.trim(),
    nameEn: values.nameEn.trim(),
    category: values.category,
    uom: (values.uom ?? '').trim(),
    precision: values.precision ?? 2,
    direction: values.direction,
    bandCentre: band ? orNull(values.bandCentre) : null,
    bandTolerance: band ? orNull(values.bandTolerance) : null,
    frequency: values.frequency,
    aggregation: values.aggregation,
    formula: values.aggregation === 'formula' ? values.formula.trim() || null : null,
    scopeText: (values.scopeText ?? '').trim(),
    scopeTag: (values.scopeTag ?? '').trim(),
    rangeMin: orNull(values.rangeMin),
    rangeMax: orNull(values.rangeMax),
    ownerUnitId: values.ownerUnitId ?? null,
    description: (values.description ?? '').trim(),
    validFrom: isoDate(values.validFrom) ?? '2000-01-01',
    validTo: isoDate(values.validTo),
  };
}

/** Only the fields that changed, with the version they are based on; null when nothing changed. */
function changesOf(indicator: Indicator, fields: Omit<CreateIndicatorBody, 'code'>): UpdateIndicatorBody | null {
  const body: Record<string, unknown> = { version: indicator.version };
  for (const [key, value] of Object.entries(fields)) {
    if (indicator[key as keyof Indicator] !== value) body[key] = value;
  }
  return Object.keys(body).length > 1 ? (body as UpdateIndicatorBody) : null;
}

/** Create an indicator or edit one (`indicator`); mounted while open. */
export function IndicatorFormDrawer({
  indicator,
  onClose,
  onSaved,
}: {
  indicator: Indicator | null;
  onClose: () => void;
  onSaved: (created: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorMessage();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateIndicator();
  const update = useUpdateIndicator();
  const library = useIndicators();
  const mutation = indicator ? update : create;
  const [generalProblems, setGeneralProblems] = useState<string[]>([]);
  const direction = Form.useWatch('direction', form);
  const aggregation = Form.useWatch('aggregation', form);

  const onError = (error: unknown) => {
    const problems = indicatorProblems(error, t);
    const byField = new Map<string, string[]>();
    const general: string[] = [];
    for (const problem of problems) {
      if (problem.field) byField.set(problem.field, [...(byField.get(problem.field) ?? []), problem.text]);
      else general.push(problem.text);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof FormValues, errors })));
    if (error && typeof error === 'object' && 'code' in error && error.code === 'INDICATOR_CODE_TAKEN') {
      form.setFields([{ name: 'code', errors: [describeError(error)] }]);
    }
    setGeneralProblems(general);
  };

  const submit = (values: FormValues) => {
    setGeneralProblems([]);
    const fields = toFields(values);
    if (!indicator) {
      create.mutate({ code: values.code.trim(), ...fields }, { onSuccess: () => onSaved(true), onError });
      return;
    }
    const body = changesOf(indicator, fields);
    if (!body) {
      onSaved(false);
      return;
    }
    update.mutate({ code: indicator.code, ...body }, { onSuccess: () => onSaved(false), onError });
  };

  const insertCode = (code: string) => {
    const formula = form.getFieldValue('formula') as string | undefined;
    const text = formula?.trim() ?? '';
    form.setFieldValue('formula', text ? `${text} ${code}` : code);
    void form.validateFields(['formula']);
  };

  const codeOptions = (library.data ?? [])
    .filter((candidate) => candidate.code !== indicator?.code)
    .map((candidate) => ({
      value: candidate.code,
      label: `${candidate.code} ${i18n.language === 'en-US' ? candidate.nameEn : candidate.nameZh}`,
    }));

  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.fieldRequired', { field }) });
  const half = { xs: 24, sm: 12 };

  return (
    <Drawer
      open
      title={indicator ? `${t('indicators.edit')} · ${indicator.code}` : t('indicators.create')}
      size={screens.md ? 640 : '100%'}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues(indicator)}
        onFinish={submit}
        onValuesChange={() => mutation.error && mutation.reset()}
      >
        <Row gutter={12}>
          <Col xs={24}>
            <Form.Item
              label={t('indicators.code')}
              name="code"
              extra={indicator ? undefined : t('indicators.codeHint')}
              rules={[required(t('indicators.code')), { pattern: /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/, message: t('indicators.codeInvalid') }]}
            >
              <Input disabled={Boolean(indicator)} autoComplete="off" spellCheck={false} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.nameZh')} name="nameZh" rules={[required(t('indicators.nameZh')), { max: 100 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.nameEn')} name="nameEn" rules={[required(t('indicators.nameEn')), { max: 200 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.category')} name="category" rules={[{ required: true }]}>
              <Select options={categoryList.map((value) => ({ value, label: t(`benchmarking.categories.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item label={t('indicators.uom')} name="uom" rules={[{ max: 32 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item label={t('indicators.precision')} name="precision" rules={[{ required: true }]}>
              <InputNumber min={0} max={6} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.direction')} name="direction" rules={[{ required: true }]}>
              <Select options={directionList.map((value) => ({ value, label: t(`benchmarking.directions.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.frequency')} name="frequency" rules={[{ required: true }]}>
              <Select options={frequencyList.map((value) => ({ value, label: t(`benchmarking.frequencies.${value}`) }))} />
            </Form.Item>
          </Col>
          {direction === 'band' ? (
            <>
              <Col {...half}>
                <Form.Item
                  label={t('indicators.bandCentre')}
                  name="bandCentre"
                  rules={[{ required: true, message: t('indicators.bandCentreRequired') }]}
                >
                  <InputNumber style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item label={t('indicators.bandTolerance')} name="bandTolerance">
                  <InputNumber min={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          ) : null}
          <Col xs={24}>
            <Form.Item label={t('indicators.aggregation')} name="aggregation" extra={t('indicators.aggregationHint')} rules={[{ required: true }]}>
              <Select options={aggregationList.map((value) => ({ value, label: t(`benchmarking.aggregations.${value}`) }))} />
            </Form.Item>
          </Col>
          {aggregation === 'formula' ? (
            <Col xs={24}>
              <Form.Item
                label={t('indicators.formula')}
                name="formula"
                extra={t('indicators.formulaHint')}
                rules={[{ required: true, whitespace: true, message: t('indicators.formulaRequired') }, { max: 2000 }]}
              >
                <Input.TextArea rows={2} spellCheck={false} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
              <Form.Item style={{ marginTop: -8 }}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  value={null}
                  placeholder={t('indicators.insertCode')}
                  aria-label={t('indicators.insertCode')}
                  options={codeOptions}
                  onChange={(code: string | null) => code && insertCode(code)}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} sm={16}>
            <Form.Item label={t('indicators.scopeText')} name="scopeText" rules={[{ max: 500 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label={t('indicators.scopeTag')} name="scopeTag" tooltip={t('indicators.scopeTagHint')} rules={[{ max: 16 }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.rangeMin')} name="rangeMin" tooltip={t('indicators.rangeHint')}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('indicators.rangeMax')}
              name="rangeMax"
              dependencies={['rangeMin']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_rule, value: number | null) => {
                    const min = getFieldValue('rangeMin') as number | null;
                    return typeof min === 'number' && typeof value === 'number' && min > value
                      ? Promise.reject(new Error(t('indicators.rangeReversed')))
                      : Promise.resolve();
                  },
                }),
              ]}
            >
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('indicators.ownerUnit')} name="ownerUnitId">
              <UnitTreeSelect allowClear />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.validFrom')} name="validFrom" rules={[{ required: true, message: t('common.fieldRequired', { field: t('indicators.validFrom') }) }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('indicators.validTo')} name="validTo">
              <DatePicker style={{ width: '100%' }} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('indicators.description')} name="description" rules={[{ max: 2000 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </Col>
        </Row>
        {mutation.error ? (
          <Alert
            type="error"
            showIcon
            title={describeError(mutation.error)}
            description={
              generalProblems.length > 0 ? (
                <>
                  <Typography.Text>{t('indicators.problemsTitle')}</Typography.Text>
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {generalProblems.map((problem) => (
                      <li key={problem}>{problem}</li>
                    ))}
                  </ul>
                </>
              ) : undefined
            }
          />
        ) : null}
      </Form>
    </Drawer>
  );
}
