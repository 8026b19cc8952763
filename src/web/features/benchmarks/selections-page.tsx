import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Form, Grid, Steps, Table, Tag, Timeline, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../server/modules/indicators/indicators.schemas';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { formatNumber, noValue } from '../benchmarking/format';
import { useSelection } from '../benchmarking/selection';
import { UnitPicker } from '../benchmarking/unit-picker';
import { isStage, type Stage } from '../benchmarking/vocabulary';
import { useIndicatorMap, useIndicatorSet } from '../indicators/queries';
import { useUnits } from '../units/queries';
import { SelectionModal } from './components/selection-modal';
import { BenchmarkKindTag, StageTag, benchmarkName, stageList } from './components/tags';
import { useBenchmarks, useSelections, type Benchmark, type Selection } from './queries';

type HistoryEntry = Selection['history'][number];

const timelineColors: Record<Stage, string> = { selected: 'gray', comparing: 'blue', attained: 'green', chasing: 'red' };

/** The selected benchmark's name and kind; the unit's own historical best when there is none. */
function BenchmarkLabel({ code, benchmarks }: { code: string | null; benchmarks: ReadonlyMap<string, Benchmark> }) {
  const { i18n } = useTranslation();
  if (code === null) return <BenchmarkKindTag kind="history_best" />;
  const benchmark = benchmarks.get(code);
  if (!benchmark) return <span>{code}</span>;
  return (
    <Flex gap={4} align="center" wrap>
      <span>{benchmarkName(benchmark, i18n.language)}</span>
      <BenchmarkKindTag kind={benchmark.kind} />
    </Flex>
  );
}

/** Where the selection stands (选标 → 对标 → 达标 → 追标) and how it got there, newest first. */
function SelectionHistory({ selection, benchmarks }: { selection: Selection; benchmarks: ReadonlyMap<string, Benchmark> }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const entries = [...selection.history].reverse();
  return (
    <Flex vertical gap={16} style={{ padding: '4px 8px', maxWidth: 760 }}>
      <Steps
        size="small"
        current={stageList.indexOf(selection.stage)}
        items={stageList.map((stage) => ({ key: stage, title: t(`benchmarking.stages.${stage}`) }))}
        responsive={false}
      />
      <div>
        <Typography.Text strong>{t('selections.history')}</Typography.Text>
        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: token.fontSizeSM }}>
          {t('selections.historyCount', { count: entries.length })}
        </Typography.Text>
      </div>
      <Timeline
        items={entries.map((entry: HistoryEntry, index) => ({
          key: `${entry.at}-${index}`,
          color: isStage(entry.stage) ? timelineColors[entry.stage] : 'gray',
          content: (
            <Flex vertical gap={2}>
              <Flex gap={6} align="center" wrap>
                <Typography.Text strong className="num">
                  {entry.period}
                </Typography.Text>
                {isStage(entry.stage) ? <StageTag stage={entry.stage} /> : <Tag>{entry.stage}</Tag>}
                <BenchmarkLabel code={entry.benchmark} benchmarks={benchmarks} />
              </Flex>
              <span>{entry.reason}</span>
              <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
                {t('selections.recordedAt', { time: formatDateTime(entry.at) })}
                {' · '}
                {entry.by ?? t('selections.bySystem')}
              </Typography.Text>
            </Flex>
          ),
        }))}
      />
    </Flex>
  );
}

/** The benchmark's latest value for the indicator (a sibling's value is its own data, shown on the scorecard). */
function LatestValue({ selection, benchmark, indicator }: { selection: Selection; benchmark: Benchmark | undefined; indicator: Indicator | undefined }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  if (!benchmark) return <Typography.Text type="secondary">{noValue}</Typography.Text>;
  if (benchmark.kind === 'sibling') return <Typography.Text type="secondary">{t('selections.siblingValue')}</Typography.Text>;
  const latest = benchmark.values.filter((value) => value.indicator === selection.indicator).sort((a, b) => b.period.localeCompare(a.period))[0];
  if (!latest) return <Typography.Text type="secondary">{noValue}</Typography.Text>;
  return (
    <Flex vertical align="flex-end">
      <span className="num">
        {formatNumber(latest.value, i18n.language, indicator?.precision)}
        {indicator?.uom ? <Typography.Text type="secondary"> {indicator.uom}</Typography.Text> : null}
      </span>
      <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
        {latest.period}
        {latest.scopeTag ? ` · ${latest.scopeTag}` : ''}
      </Typography.Text>
    </Flex>
  );
}

/** 选标与对标阶段: a unit's selected benchmarks, their stage and history; selecting and moving for those who may. */
export function SelectionsPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const can = usePermission();
  const canWrite = can('indicator.write');
  const { unit, period, settled, setUnit } = useSelection({ monthOnly: true });
  const selections = useSelections(unit);
  const benchmarks = useBenchmarks();
  const indicators = useIndicatorMap();
  const indicatorSet = useIndicatorSet(canWrite ? unit : null);
  const units = useUnits();
  const [dialog, setDialog] = useState<{ indicator: string | null } | null>(null);
  const locale = i18n.language;

  const benchmarkByCode = useMemo(() => new Map((benchmarks.data ?? []).map((benchmark) => [benchmark.code, benchmark])), [benchmarks.data]);
  const unitRow = units.data?.find((candidate) => candidate.code === unit);
  const unitPeerClass = unitRow?.peerClass ?? '';
  const rows = selections.data;
  const selectedCodes = new Set((rows ?? []).map((selection) => selection.indicator));
  const unselected = (indicatorSet.data?.items ?? []).map((item) => item.indicator).filter((code) => !selectedCodes.has(code));
  const dialogSelection = dialog?.indicator ? (rows ?? []).find((selection) => selection.indicator === dialog.indicator) ?? null : null;

  const columns: TableColumnsType<Selection> = [
    {
      key: 'indicator',
      title: t('selections.indicator'),
      fixed: screens.md ? 'left' : undefined,
      width: screens.md ? 200 : 150,
      render: (_v, selection) => {
        const indicator = indicators.get(selection.indicator);
        return (
          <Flex vertical>
            <span style={{ fontWeight: 500 }}>{indicator ? (locale === 'en-US' ? indicator.nameEn : indicator.nameZh) : selection.indicator}</span>
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM, whiteSpace: 'nowrap' }}>
              {selection.indicator}
              {indicator?.uom ? ` · ${indicator.uom}` : ''}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      key: 'benchmark',
      title: t('selections.benchmark'),
      width: 220,
      render: (_v, selection) => <BenchmarkLabel code={selection.benchmark} benchmarks={benchmarkByCode} />,
    },
    {
      key: 'latestValue',
      title: t('selections.latestValue'),
      width: 140,
      align: 'right',
      render: (_v, selection) => (
        <LatestValue
          selection={selection}
          benchmark={selection.benchmark ? benchmarkByCode.get(selection.benchmark) : undefined}
          indicator={indicators.get(selection.indicator)}
        />
      ),
    },
    {
      key: 'stage',
      title: t('selections.stage'),
      width: 90,
      sorter: (a, b) => stageList.indexOf(a.stage) - stageList.indexOf(b.stage),
      render: (_v, selection) => <StageTag stage={selection.stage} />,
    },
    { key: 'since', title: t('selections.since'), dataIndex: 'sincePeriod', width: 100, render: (since: string) => <span className="num">{since}</span> },
    // The rest of the width.
    { key: 'reason', title: t('selections.reason'), dataIndex: 'reason', ellipsis: { showTitle: true } },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      render: (_v, selection) => (
        <Button
          size="small"
          icon={<EditOutlined aria-hidden />}
          aria-label={t('selections.moveLabel', { indicator: selection.indicator })}
          onClick={() => setDialog({ indicator: selection.indicator })}
        >
          {t('selections.move')}
        </Button>
      ),
    });
  }

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('selections.title')}
        </Typography.Title>
        {canWrite && unit ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setDialog({ indicator: null })}>
            {t('selections.create')}
          </Button>
        ) : null}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('selections.intro')}
      </Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('benchmarking.unit')} htmlFor="selections-unit">
          <UnitPicker id="selections-unit" value={unit} onChange={setUnit} />
        </Form.Item>
        {unitRow ? (
          <Form.Item>
            {unitPeerClass ? <Tag>{t('selections.peerClass', { peerClass: unitPeerClass })}</Tag> : <Typography.Text type="secondary">{t('selections.noPeerClass')}</Typography.Text>}
          </Form.Item>
        ) : null}
      </Form>
      {selections.isError ? (
        <LoadError error={selections.error} onRetry={() => void selections.refetch()} />
      ) : !rows ? (
        settled && !unit ? <Empty description={t('benchmarking.pickUnit')} /> : <PageSpin />
      ) : rows.length === 0 ? (
        <Card>
          <Empty description={t('selections.empty')} />
        </Card>
      ) : (
        <Table<Selection>
          rowKey="indicator"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={selections.isFetching}
          scroll={{ x: canWrite ? 1080 : 980 }}
          pagination={false}
          expandable={{ expandedRowRender: (selection) => <SelectionHistory selection={selection} benchmarks={benchmarkByCode} /> }}
        />
      )}
      {dialog && unit && (dialog.indicator === null || dialogSelection) ? (
        <SelectionModal
          unit={unit}
          unitPeerClass={unitPeerClass}
          selection={dialogSelection}
          indicatorCodes={unselected}
          indicators={indicators}
          benchmarks={benchmarks.data ?? []}
          defaultPeriod={period}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </Flex>
  );
}
