import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Col, Flex, Form, Input, InputNumber, Modal, Row, Select, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { useIndicators } from '../../indicators/queries';
import { usePutBenchmarkValues, type Benchmark, type BenchmarkValueInput } from '../queries';
import { ErrorAlert } from './error-alert';
import { benchmarkName } from './tags';

interface RowValues {
  indicator?: string;
  period?: string;
  value?: number | null;
  scopeTag?: string;
  source?: string;
}
interface FormValues {
  values: RowValues[];
}

// As the server checks it (benchmarks.schemas.ts): a year or a month.
const periodPattern = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

function indicatorLabel(indicator: Indicator, locale: string): string {
  return `${indicator.code} ${locale === 'en-US' ? indicator.nameEn : indicator.nameZh}`;
}

/** One value to add or replace: indicator, period, value (in the indicator's unit), 口径, source. */
function ValueRow({
  index,
  indicators,
  scopeOptions,
  onRemove,
}: {
  index: number;
  indicators: ReadonlyMap<string, Indicator>;
  scopeOptions: { value: string }[];
  onRemove?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const form = Form.useFormInstance<FormValues>();
  const code = Form.useWatch(['values', index, 'indicator'], form) as string | undefined;
  const indicator = code ? indicators.get(code) : undefined;
  const options = useMemo(
    () => [...indicators.values()].map((item) => ({ value: item.code, label: indicatorLabel(item, i18n.language) })),
    [indicators, i18n.language],
  );
  return (
    <Card
      size="small"
      title={`#${index + 1}`}
      extra={
        onRemove ? (
          <Button type="text" size="small" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('benchmarks.valuesForm.removeRow', { row: index + 1 })} onClick={onRemove} />
        ) : null
      }
    >
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item
            label={t('benchmarks.values.indicator')}
            name={[index, 'indicator']}
            rules={[{ required: true, message: t('benchmarks.valuesForm.pickIndicator') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('benchmarks.valuesForm.pickIndicator')}
              options={options}
              onSelect={(next: string) => {
                // The indicator's own 口径 is the likeliest one for its benchmark.
                if (!form.getFieldValue(['values', index, 'scopeTag'])) form.setFieldValue(['values', index, 'scopeTag'], indicators.get(next)?.scopeTag ?? '');
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            label={t('benchmarks.valuesForm.period')}
            name={[index, 'period']}
            rules={[
              { required: true, message: t('common.fieldRequired', { field: t('benchmarks.valuesForm.period') }) },
              { pattern: periodPattern, message: t('benchmarks.valuesForm.periodInvalid') },
            ]}
          >
            <Input placeholder={t('benchmarks.valuesForm.periodPlaceholder')} autoComplete="off" inputMode="numeric" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            label={t('benchmarks.valuesForm.value')}
            name={[index, 'value']}
            rules={[{ required: true, message: t('common.fieldRequired', { field: t('benchmarks.valuesForm.value') }) }]}
          >
            <InputNumber style={{ width: '100%' }} suffix={indicator?.uom || undefined} min={-1e15} max={1e15} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('benchmarks.valuesForm.scopeTag')} name={[index, 'scopeTag']} rules={[{ max: 16 }]}>
            <AutoComplete options={scopeOptions} placeholder={t('benchmarks.valuesForm.scopeTagPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={18}>
          <Form.Item label={t('benchmarks.valuesForm.source')} name={[index, 'source']} rules={[{ max: 500 }]}>
            <Input placeholder={t('benchmarks.valuesForm.sourcePlaceholder')} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}

/** A new row: a benchmark with values for one indicator likely gets another period of it. */
function firstRow(benchmark: Benchmark): RowValues {
  const codes = new Set(benchmark.values.map((value) => value.indicator));
  const last = benchmark.values.at(-1);
  return codes.size === 1 && last ? { indicator: last.indicator, scopeTag: last.scopeTag } : {};
}

/** 编辑标杆值: adds values to a benchmark or replaces those of the same indicator and period. Mounted while open. */
export function BenchmarkValuesModal({
  benchmark,
  initial,
  scopeTags,
  onClose,
}: {
  benchmark: Benchmark;
  /** Rows to start with (an existing value to change); one empty row when absent. */
  initial?: RowValues[];
  /** The 口径 already in use, offered while typing one. */
  scopeTags: readonly string[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const put = usePutBenchmarkValues();
  const library = useIndicators();
  const indicators = useMemo(() => new Map((library.data ?? []).map((indicator) => [indicator.code, indicator])), [library.data]);
  const scopeOptions = useMemo(() => scopeTags.filter(Boolean).map((value) => ({ value })), [scopeTags]);

  const submit = ({ values }: FormValues) => {
    const rows: BenchmarkValueInput[] = values.map((row) => ({
      indicator: row.indicator ?? '',
      period: row.period?.trim() ?? '',
      value: row.value ?? 0,
      scopeTag: row.scopeTag?.trim() ?? '',
      source: row.source?.trim() || benchmark.source,
    }));
    // The server would keep only the last of two rows for the same indicator and period.
    const seen = new Set<string>();
    const duplicates = rows.flatMap((row, index) => {
      const key = `${row.indicator}|${row.period}`;
      if (seen.has(key)) return [index];
      seen.add(key);
      return [];
    });
    if (duplicates.length) {
      form.setFields(duplicates.map((index) => ({ name: ['values', index, 'period'], errors: [t('benchmarks.valuesForm.duplicate')] })));
      return;
    }
    put.mutate(
      { code: benchmark.code, values: rows },
      {
        onSuccess: () => {
          void message.success(t('benchmarks.valuesSaved', { count: rows.length }));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('benchmarks.editValuesTitle', { name: `${benchmark.code} ${benchmarkName(benchmark, i18n.language)}` })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={put.isPending}
      width={760}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Typography.Paragraph type="secondary">
        {t('benchmarks.valuesForm.intro')}
        {benchmark.values.length ? (
          <>
            <br />
            {t('benchmarks.valuesForm.existing', { count: benchmark.values.length })}
          </>
        ) : null}
      </Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" initialValues={{ values: initial?.length ? initial : [firstRow(benchmark)] }} onFinish={submit} onValuesChange={() => put.error && put.reset()}>
        <Form.List
          name="values"
          rules={[
            {
              validator: async (_rule, rows: unknown[] | undefined) => {
                if (!rows?.length) throw new Error(t('benchmarks.valuesForm.noRows'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={12}>
              {fields.map((field) => (
                <ValueRow
                  key={field.key}
                  index={field.name}
                  indicators={indicators}
                  scopeOptions={scopeOptions}
                  onRemove={fields.length > 1 ? () => remove(field.name) : undefined}
                />
              ))}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({})} block>
                {t('benchmarks.valuesForm.addRow')}
              </Button>
            </Flex>
          )}
        </Form.List>
        {put.error ? <ErrorAlert error={put.error} /> : null}
      </Form>
    </Modal>
  );
}
