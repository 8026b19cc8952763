import { EditOutlined, FileExcelOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Grid, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { formatNumber, noValue } from '../../benchmarking/format';
import { useIndicatorMap } from '../../indicators/queries';
import { useUnits } from '../../units/queries';
import { unitName } from '../../units/unit-tree';
import { useBenchmarks, type Benchmark, type BenchmarkKind, type BenchmarkValue } from '../queries';
import { BenchmarkFormModal } from './benchmark-form-modal';
import { BenchmarkValuesModal } from './benchmark-values-modal';
import { BenchmarkKindTag, benchmarkKindList, benchmarkName } from './tags';

type Dialog = { kind: 'create' } | { kind: 'values'; code: string; value?: BenchmarkValue };

/** A benchmark's values, by indicator and then newest period first. */
function BenchmarkValues({
  benchmark,
  indicators,
  onEdit,
}: {
  benchmark: Benchmark;
  indicators: ReadonlyMap<string, Indicator>;
  onEdit?: (value: BenchmarkValue) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const rows = useMemo(
    () => [...benchmark.values].sort((a, b) => a.indicator.localeCompare(b.indicator) || b.period.localeCompare(a.period)),
    [benchmark.values],
  );
  if (benchmark.kind === 'sibling') return <Typography.Text type="secondary">{t('benchmarks.siblingValues')}</Typography.Text>;
  const columns: TableColumnsType<BenchmarkValue> = [
    {
      key: 'indicator',
      title: t('benchmarks.values.indicator'),
      width: 240,
      render: (_v, value) => {
        const indicator = indicators.get(value.indicator);
        return (
          <Flex vertical>
            <span>{indicator ? (locale === 'en-US' ? indicator.nameEn : indicator.nameZh) : value.indicator}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {value.indicator}
            </Typography.Text>
          </Flex>
        );
      },
    },
    { key: 'period', title: t('benchmarks.values.period'), dataIndex: 'period', width: 90, render: (period: string) => <span className="num">{period}</span> },
    {
      key: 'value',
      title: t('benchmarks.values.value'),
      width: 150,
      align: 'right',
      render: (_v, value) => {
        const indicator = indicators.get(value.indicator);
        return (
          <span className="num">
            {formatNumber(value.value, locale, indicator?.precision)}
            {indicator?.uom ? <Typography.Text type="secondary"> {indicator.uom}</Typography.Text> : null}
          </span>
        );
      },
    },
    {
      key: 'scopeTag',
      title: t('benchmarks.values.scopeTag'),
      width: 90,
      render: (_v, value) => (value.scopeTag ? <Tag>{value.scopeTag}</Tag> : <Typography.Text type="secondary">{t('benchmarks.values.noScope')}</Typography.Text>),
    },
    { key: 'source', title: t('benchmarks.values.source'), dataIndex: 'source', ellipsis: { showTitle: true }, render: (source: string) => source || noValue },
  ];
  if (onEdit) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 70,
      render: (_v, value) => (
        <Button
          size="small"
          type="text"
          icon={<EditOutlined aria-hidden />}
          aria-label={`${t('common.edit')} ${value.indicator} ${value.period}`}
          onClick={() => onEdit(value)}
        />
      ),
    });
  }
  return (
    <Table<BenchmarkValue>
      rowKey={(value) => `${value.indicator}|${value.period}`}
      size="small"
      columns={columns}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('benchmarks.values.empty') }}
      pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false, size: 'small' } : false}
    />
  );
}

/** The benchmark library: search and filter, values per row, adding benchmarks and values for those who may. */
export function BenchmarkLibrary({ scopeTags }: { scopeTags: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = usePermission();
  const canWrite = can('indicator.write');
  const canImport = canWrite && can('import.run');
  const screens = Grid.useBreakpoint();
  const benchmarks = useBenchmarks();
  const indicators = useIndicatorMap();
  const units = useUnits();
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<BenchmarkKind | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const navigate = useNavigate();
  const locale = i18n.language;

  const unitByCode = useMemo(() => new Map((units.data ?? []).map((unit) => [unit.code, unit])), [units.data]);
  const filtered = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (benchmarks.data ?? []).filter(
      (benchmark) =>
        (!kind || benchmark.kind === kind) &&
        (!needle || [benchmark.code, benchmark.nameZh, benchmark.nameEn, benchmark.source, benchmark.peerClass].some((text) => text.toLowerCase().includes(needle))),
    );
  }, [benchmarks.data, query, kind]);

  if (benchmarks.isError) return <LoadError error={benchmarks.error} onRetry={() => void benchmarks.refetch()} />;

  const columns: TableColumnsType<Benchmark> = [
    {
      key: 'code',
      title: t('benchmarks.code'),
      dataIndex: 'code',
      width: 150,
      // On a phone a fixed column would leave little room for the rest.
      fixed: screens.md ? 'left' : undefined,
      sorter: (a, b) => a.code.localeCompare(b.code),
      render: (code: string) => <Typography.Text strong>{code}</Typography.Text>,
    },
    {
      key: 'name',
      title: t('benchmarks.name'),
      width: 220,
      render: (_v, benchmark) => {
        const other = locale === 'en-US' ? benchmark.nameZh : benchmark.nameEn;
        return (
          <Flex vertical>
            <span>{benchmarkName(benchmark, locale)}</span>
            {other && other !== benchmarkName(benchmark, locale) ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {other}
              </Typography.Text>
            ) : null}
          </Flex>
        );
      },
    },
    {
      key: 'kind',
      title: t('benchmarks.kind'),
      width: 110,
      sorter: (a, b) => benchmarkKindList.indexOf(a.kind) - benchmarkKindList.indexOf(b.kind),
      render: (_v, benchmark) => <BenchmarkKindTag kind={benchmark.kind} />,
    },
    {
      key: 'siblingUnit',
      title: t('benchmarks.siblingUnit'),
      width: 140,
      render: (_v, benchmark) => {
        if (!benchmark.siblingUnit) return noValue;
        const unit = unitByCode.get(benchmark.siblingUnit);
        return unit ? `${unitName(unit, locale)} (${unit.code})` : benchmark.siblingUnit;
      },
    },
    {
      key: 'peerClass',
      title: t('benchmarks.peerClass'),
      width: 90,
      render: (_v, benchmark) => (benchmark.peerClass ? <Tag>{benchmark.peerClass}</Tag> : noValue),
    },
    // The rest of the width: sources are long (the full title of a national standard).
    { key: 'source', title: t('benchmarks.source'), dataIndex: 'source', ellipsis: { showTitle: true }, render: (source: string) => source || noValue },
    {
      key: 'values',
      title: t('benchmarks.valueCount'),
      width: 80,
      align: 'right',
      render: (_v, benchmark) => (benchmark.kind === 'sibling' ? noValue : <span className="num">{t('benchmarks.valueCountText', { count: benchmark.values.length })}</span>),
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 130,
      render: (_v, benchmark) =>
        benchmark.kind === 'sibling' ? (
          <Tooltip title={t('benchmarks.siblingValues')}>
            <Button size="small" icon={<EditOutlined aria-hidden />} disabled>
              {t('benchmarks.editValues')}
            </Button>
          </Tooltip>
        ) : (
          <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setDialog({ kind: 'values', code: benchmark.code })}>
            {t('benchmarks.editValues')}
          </Button>
        ),
    });
  }

  const valuesFor = dialog?.kind === 'values' ? (benchmarks.data ?? []).find((benchmark) => benchmark.code === dialog.code) : undefined;

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap justify="space-between">
        <Flex gap={8} wrap>
          <Input.Search
            allowClear
            placeholder={t('benchmarks.searchPlaceholder')}
            aria-label={t('benchmarks.searchPlaceholder')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            style={{ width: 240, maxWidth: '100%' }}
          />
          <Select<BenchmarkKind | null>
            allowClear
            placeholder={t('benchmarks.allKinds')}
            aria-label={t('benchmarks.kind')}
            value={kind}
            onChange={(value) => setKind(value ?? null)}
            options={benchmarkKindList.map((value) => ({ value, label: t(`benchmarking.benchmarkKinds.${value}`) }))}
            style={{ width: 140 }}
          />
        </Flex>
        <Flex gap={8} wrap>
          {canImport ? (
            <Button icon={<FileExcelOutlined aria-hidden />} onClick={() => void navigate('/imports?kind=benchmarks')}>
              {t('benchmarks.importLink')}
            </Button>
          ) : null}
          {canWrite ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
              {t('benchmarks.create')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {canImport ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('benchmarks.importHint')}
        </Typography.Text>
      ) : null}
      <Table<Benchmark>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={filtered}
        loading={benchmarks.isPending}
        scroll={{ x: canWrite ? 1100 : 980 }}
        locale={{ emptyText: t('benchmarks.empty') }}
        expandable={{
          expandedRowRender: (benchmark) => (
            <BenchmarkValues
              benchmark={benchmark}
              indicators={indicators}
              onEdit={canWrite ? (value) => setDialog({ kind: 'values', code: benchmark.code, value }) : undefined}
            />
          ),
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (total) => t('common.total', { total }) }}
      />
      {dialog?.kind === 'create' ? (
        <BenchmarkFormModal
          benchmarks={benchmarks.data ?? []}
          onClose={() => setDialog(null)}
          onCreated={(created) => {
            void message.success(t('benchmarks.created', { code: created.code }));
            // Values come next, except for a sibling, whose values are its unit's data.
            setDialog(created.kind === 'sibling' ? null : { kind: 'values', code: created.code });
          }}
        />
      ) : null}
      {dialog?.kind === 'values' && valuesFor ? (
        <BenchmarkValuesModal
          benchmark={valuesFor}
          initial={dialog.value ? [dialog.value] : undefined}
          scopeTags={scopeTags}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </Flex>
  );
}
