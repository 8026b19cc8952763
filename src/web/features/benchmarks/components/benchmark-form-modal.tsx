import { AutoComplete, Form, Input, Modal, Select, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitTreeSelect } from '../../units/components/unit-tree-select';
import { useUnits } from '../../units/queries';
import { useCreateBenchmark, type Benchmark, type BenchmarkKind } from '../queries';
import { ErrorAlert } from './error-alert';
import { benchmarkKindList } from './tags';

interface FormValues {
  code: string;
  nameZh: string;
  nameEn?: string;
  kind: BenchmarkKind;
  siblingUnit?: string | null;
  peerClass?: string;
  source?: string;
}

// As the server checks it (benchmarks.schemas.ts).
const codePattern = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** 新增标杆: a sibling unit, peer, industry or world level. Mounted while open. */
export function BenchmarkFormModal({
  benchmarks,
  onClose,
  onCreated,
}: {
  benchmarks: readonly Benchmark[];
  onClose: () => void;
  onCreated: (benchmark: Benchmark) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateBenchmark();
  const units = useUnits();
  const kind = Form.useWatch('kind', form);

  // The peer classes in use, so that a new benchmark joins an existing class rather than a misspelt one.
  const peerClasses = useMemo(() => {
    const classes = new Set<string>();
    for (const unit of units.data ?? []) if (unit.peerClass) classes.add(unit.peerClass);
    for (const benchmark of benchmarks) if (benchmark.peerClass) classes.add(benchmark.peerClass);
    return [...classes].sort().map((value) => ({ value }));
  }, [units.data, benchmarks]);

  const submit = (values: FormValues) => {
    create.mutate(
      {
        code: values.code.trim(),
        nameZh: values.nameZh.trim(),
        nameEn: values.nameEn?.trim() ?? '',
        kind: values.kind,
        siblingUnit: values.kind === 'sibling' ? (values.siblingUnit ?? null) : null,
        peerClass: values.peerClass?.trim() ?? '',
        source: values.source?.trim() ?? '',
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <Modal
      open
      title={t('benchmarks.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'peer' }}
        onFinish={submit}
        onValuesChange={(changed: Partial<FormValues>) => {
          if (create.error) create.reset();
          // A sibling is in its unit's peer class unless the user says otherwise.
          if (changed.siblingUnit && !form.getFieldValue('peerClass')) {
            const unit = units.data?.find((candidate) => candidate.code === changed.siblingUnit);
            if (unit?.peerClass) form.setFieldValue('peerClass', unit.peerClass);
          }
        }}
      >
        <Form.Item
          label={t('benchmarks.form.code')}
          name="code"
          extra={t('benchmarks.form.codeHint')}
          rules={[
            { required: true, whitespace: true, message: t('common.fieldRequired', { field: t('benchmarks.form.code') }) },
            { pattern: codePattern, message: t('benchmarks.form.codeInvalid') },
          ]}
        >
          <Input autoComplete="off" autoCapitalize="characters" spellCheck={false} />
        </Form.Item>
        <Form.Item
          label={t('benchmarks.form.nameZh')}
          name="nameZh"
          rules={[{ required: true, whitespace: true, max: 100, message: t('common.fieldRequired', { field: t('benchmarks.form.nameZh') }) }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('benchmarks.form.nameEn')} name="nameEn" rules={[{ max: 200 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('benchmarks.form.kind')} name="kind" rules={[{ required: true }]}>
          <Select<BenchmarkKind> options={benchmarkKindList.map((value) => ({ value, label: t(`benchmarking.benchmarkKinds.${value}`) }))} />
        </Form.Item>
        {kind === 'sibling' ? (
          <Form.Item
            label={t('benchmarks.form.siblingUnit')}
            name="siblingUnit"
            extra={t('benchmarks.form.siblingUnitHint')}
            rules={[{ required: true, message: t('common.fieldRequired', { field: t('benchmarks.form.siblingUnit') }) }]}
          >
            <UnitTreeSelect valueField="code" placeholder={t('benchmarking.pickUnit')} />
          </Form.Item>
        ) : null}
        <Form.Item label={t('benchmarks.form.peerClass')} name="peerClass" extra={t('benchmarks.form.peerClassHint')} rules={[{ max: 50 }]}>
          <AutoComplete options={peerClasses} allowClear />
        </Form.Item>
        <Form.Item label={t('benchmarks.form.source')} name="source" extra={t('benchmarks.form.sourceHint')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {kind === 'sibling' ? null : (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('benchmarks.form.addValuesNext')}
          </Typography.Paragraph>
        )}
        {create.error ? <ErrorAlert error={create.error} /> : null}
      </Form>
    </Modal>
  );
}
