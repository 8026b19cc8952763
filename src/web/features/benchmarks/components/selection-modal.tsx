import { App, Flex, Form, Input, Modal, Radio, Select, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { formatNumber } from '../../benchmarking/format';
import { PeriodPicker } from '../../benchmarking/period-picker';
import type { Stage } from '../../benchmarking/vocabulary';
import { usePutSelection, type Benchmark, type Selection } from '../queries';
import { ErrorAlert } from './error-alert';
import { BenchmarkKindTag, benchmarkName, stageList } from './tags';

/** The select's value for "the unit's own historical best" (no benchmark code starts with `*`). */
const historyBest = '*history_best';

interface FormValues {
  indicator?: string;
  benchmark?: string;
  stage: Stage;
  period?: string;
  reason?: string;
}

/**
 * The benchmarks a unit may select for an indicator: those with values for it, the sibling units
 * (their values are the sibling's own data) but not the unit itself, and the one already selected.
 */
export function benchmarksFor(benchmarks: readonly Benchmark[], indicator: string | undefined, unit: string, current: string | null): Benchmark[] {
  if (!indicator) return [];
  return benchmarks.filter(
    (benchmark) =>
      benchmark.code === current ||
      (benchmark.kind === 'sibling' ? benchmark.siblingUnit !== unit : benchmark.values.some((value) => value.indicator === indicator)),
  );
}

/** A month as a form control (Form.Item passes value, onChange and id). */
function MonthField({ value, onChange, id }: { value?: string; onChange?: (month: string) => void; id?: string }) {
  return <PeriodPicker id={id} kinds={['month']} value={value} onChange={(month) => onChange?.(month)} />;
}

/** 选标 or a move of the stage, with a reason; `selection` absent for a new one. Mounted while open. */
export function SelectionModal({
  unit,
  unitPeerClass,
  selection,
  indicatorCodes,
  indicators,
  benchmarks,
  defaultPeriod,
  onClose,
}: {
  unit: string;
  unitPeerClass: string;
  selection: Selection | null;
  /** The indicators one may pick for a new selection (the unit's set, without those already selected). */
  indicatorCodes: readonly string[];
  indicators: ReadonlyMap<string, Indicator>;
  benchmarks: readonly Benchmark[];
  defaultPeriod: string | undefined;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const put = usePutSelection();
  const locale = i18n.language;
  const indicator = Form.useWatch('indicator', form) ?? selection?.indicator;
  const chosenBenchmark = Form.useWatch('benchmark', form);
  const chosenStage = Form.useWatch('stage', form);

  const indicatorName = (code: string) => {
    const found = indicators.get(code);
    return found ? `${code} ${locale === 'en-US' ? found.nameEn : found.nameZh}` : code;
  };
  const indicatorOptions = indicatorCodes.map((code) => ({ value: code, label: indicatorName(code) }));

  const benchmarkOptions = useMemo(() => {
    const candidates = benchmarksFor(benchmarks, indicator, unit, selection?.benchmark ?? null);
    return [
      {
        value: historyBest,
        search: t('benchmarking.benchmarkKinds.history_best'),
        label: <BenchmarkKindTag kind="history_best" />,
      },
      ...candidates.map((benchmark) => {
        const name = benchmarkName(benchmark, locale);
        const otherClass = benchmark.kind === 'peer' && benchmark.peerClass !== '' && unitPeerClass !== '' && benchmark.peerClass !== unitPeerClass;
        // Its latest value for the indicator, to choose by.
        const latest = benchmark.values.filter((value) => value.indicator === indicator).sort((a, b) => b.period.localeCompare(a.period))[0];
        const definition = indicator ? indicators.get(indicator) : undefined;
        return {
          value: benchmark.code,
          search: `${benchmark.code} ${benchmark.nameZh} ${benchmark.nameEn}`,
          label: (
            <Flex gap={4} align="center" wrap>
              <span>{name}</span>
              <BenchmarkKindTag kind={benchmark.kind} />
              {latest ? (
                <Typography.Text type="secondary" className="num">
                  {formatNumber(latest.value, locale, definition?.precision)}
                  {definition?.uom ? ` ${definition.uom}` : ''} ({latest.period})
                </Typography.Text>
              ) : null}
              {otherClass ? <Tag color="warning">{t('selections.form.peerClassDiffers', { peerClass: benchmark.peerClass })}</Tag> : null}
            </Flex>
          ),
        };
      }),
    ];
  }, [benchmarks, indicator, indicators, unit, selection?.benchmark, unitPeerClass, locale, t]);

  const unchanged =
    selection !== null &&
    chosenStage === selection.stage &&
    (chosenBenchmark === historyBest ? null : chosenBenchmark) === selection.benchmark;

  const submit = (values: FormValues) => {
    const code = selection?.indicator ?? values.indicator ?? '';
    put.mutate(
      {
        unit,
        indicator: code,
        benchmark: !values.benchmark || values.benchmark === historyBest ? null : values.benchmark,
        stage: values.stage,
        reason: values.reason?.trim() ?? '',
        period: values.period ?? '',
      },
      {
        onSuccess: (saved) => {
          void message.success(t('selections.saved', { indicator: indicatorName(saved.indicator), stage: t(`benchmarking.stages.${saved.stage}`) }));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open
      title={selection ? t('selections.moveTitle', { indicator: indicatorName(selection.indicator) }) : t('selections.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={put.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{
          indicator: selection?.indicator,
          benchmark: selection ? (selection.benchmark ?? historyBest) : undefined,
          stage: selection?.stage ?? 'selected',
          period: defaultPeriod,
        }}
        onFinish={submit}
        onValuesChange={(changed: Partial<FormValues>) => {
          if (put.error) put.reset();
          // Another indicator: the benchmark chosen for the previous one may have no values for it.
          if (changed.indicator !== undefined) form.setFieldValue('benchmark', undefined);
        }}
      >
        {selection ? null : (
          <Form.Item
            label={t('selections.form.indicator')}
            name="indicator"
            extra={indicatorCodes.length ? undefined : t('selections.form.allSelected')}
            rules={[{ required: true, message: t('selections.form.pickIndicator') }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} placeholder={t('selections.form.pickIndicator')} options={indicatorOptions} />
          </Form.Item>
        )}
        <Form.Item
          label={t('selections.form.benchmark')}
          name="benchmark"
          extra={t('selections.form.benchmarkHint')}
          rules={[{ required: true, message: t('selections.form.pickBenchmark') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'search' }}
            placeholder={t('selections.form.pickBenchmark')}
            options={benchmarkOptions}
            disabled={!indicator}
          />
        </Form.Item>
        <Form.Item label={t('selections.form.stage')} name="stage" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={stageList.map((stage) => ({ value: stage, label: t(`benchmarking.stages.${stage}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('selections.form.period')}
          name="period"
          rules={[{ required: true, message: t('common.fieldRequired', { field: t('selections.form.period') }) }]}
        >
          <MonthField />
        </Form.Item>
        <Form.Item
          label={t('selections.form.reason')}
          name="reason"
          rules={[
            { required: true, whitespace: true, message: t('selections.form.reasonRequired') },
            { max: 1000 },
          ]}
        >
          <Input.TextArea rows={3} placeholder={t('selections.form.reasonPlaceholder')} />
        </Form.Item>
        {unchanged ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('selections.form.unchanged')}
          </Typography.Paragraph>
        ) : null}
        {put.error ? <ErrorAlert error={put.error} /> : null}
      </Form>
    </Modal>
  );
}
