import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { formatDate } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { formatNumber, noValue } from '../../benchmarking/format';
import {
  aggregationList,
  categoryList,
  directionList,
  type Aggregation,
  type Category,
  type Direction,
} from '../../benchmarking/vocabulary';
import { useUnits } from '../../units/queries';
import { useIndicators } from '../queries';
import { IndicatorFormDrawer } from './indicator-form-drawer';

/** The indicator library: search and filters, and creating and editing for those who may. */
export function IndicatorLibrary() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = usePermission();
  const canWrite = can('indicator.write');
  const indicators = useIndicators();
  const units = useUnits();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<Category | null>(null);
  const [direction, setDirection] = useState<Direction | null>(null);
  const [aggregation, setAggregation] = useState<Aggregation | null>(null);
  const [editing, setEditing] = useState<{ code: string | null } | null>(null);
  const locale = i18n.language;
  const english = locale === 'en-US';

  const unitById = useMemo(() => new Map((units.data ?? []).map((unit) => [unit.id, unit])), [units.data]);
  const filtered = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (indicators.data ?? []).filter(
      (indicator) =>
        (!needle ||
          indicator.code.toLowerCase().includes(needle) ||
          indicator.nameZh.toLowerCase().includes(needle) ||
          indicator.nameEn.toLowerCase().includes(needle)) &&
        (!category || indicator.category === category) &&
        (!direction || indicator.direction === direction) &&
        (!aggregation || indicator.aggregation === aggregation),
    );
  }, [indicators.data, query, category, direction, aggregation]);

  if (indicators.isError) return <LoadError error={indicators.error} onRetry={() => void indicators.refetch()} />;

  const columns: TableColumnsType<Indicator> = [
    {
      key: 'code',
      title: t('indicators.code'),
      dataIndex: 'code',
      width: 170,
      fixed: 'left',
      sorter: (a, b) => a.code.localeCompare(b.code),
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    {
      key: 'name',
      title: t('indicators.name'),
      width: 220,
      render: (_v, indicator) => (
        <Flex vertical>
          <span>{english ? indicator.nameEn : indicator.nameZh}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {english ? indicator.nameZh : indicator.nameEn}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'category',
      title: t('indicators.category'),
      width: 90,
      render: (_v, indicator) => <Tag>{t(`benchmarking.categories.${indicator.category}`)}</Tag>,
    },
    { key: 'uom', title: t('indicators.uom'), dataIndex: 'uom', width: 100, render: (uom: string) => uom || noValue },
    {
      key: 'direction',
      title: t('indicators.direction'),
      width: 110,
      render: (_v, indicator) =>
        indicator.direction === 'band' ? (
          <Tooltip title={`${formatNumber(indicator.bandCentre, locale)} ± ${formatNumber(indicator.bandTolerance, locale)}`}>
            <span style={{ cursor: 'help' }}>{t('benchmarking.directions.band')}</span>
          </Tooltip>
        ) : (
          t(`benchmarking.directions.${indicator.direction}`)
        ),
    },
    {
      key: 'aggregation',
      title: t('indicators.aggregation'),
      width: 230,
      render: (_v, indicator) =>
        indicator.formula ? (
          <Flex vertical gap={2}>
            <span>
              <Tag color="blue">{t('benchmarking.aggregations.formula')}</Tag>
            </span>
            <Typography.Text code style={{ fontSize: 12, wordBreak: 'break-all' }}>
              {indicator.formula}
            </Typography.Text>
          </Flex>
        ) : (
          t(`benchmarking.aggregations.${indicator.aggregation}`)
        ),
    },
    { key: 'scopeTag', title: t('indicators.scopeTag'), width: 90, render: (_v, indicator) => indicator.scopeTag || noValue },
    {
      key: 'range',
      title: t('indicators.range'),
      width: 130,
      align: 'right',
      render: (_v, indicator) =>
        indicator.rangeMin === null && indicator.rangeMax === null ? (
          noValue
        ) : (
          <span className="num">
            {formatNumber(indicator.rangeMin, locale)} ~ {formatNumber(indicator.rangeMax, locale)}
          </span>
        ),
    },
    {
      key: 'owner',
      title: t('indicators.ownerUnit'),
      width: 150,
      render: (_v, indicator) => {
        const unit = indicator.ownerUnitId ? unitById.get(indicator.ownerUnitId) : undefined;
        return unit ? (english ? unit.nameEn || unit.nameZh : unit.nameZh) : noValue;
      },
    },
    {
      key: 'validity',
      title: t('indicators.validFrom'),
      width: 120,
      render: (_v, indicator) => (
        <span className="num">
          {formatDate(indicator.validFrom)}
          {indicator.validTo ? ` ~ ${formatDate(indicator.validTo)}` : ''}
        </span>
      ),
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      render: (_v, indicator) => (
        <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing({ code: indicator.code })}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  const editingIndicator = editing?.code ? (indicators.data ?? []).find((indicator) => indicator.code === editing.code) : undefined;

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap justify="space-between">
        <Flex gap={8} wrap>
          <Input.Search
            allowClear
            placeholder={t('indicators.searchPlaceholder')}
            aria-label={t('indicators.searchPlaceholder')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            style={{ width: 240 }}
          />
          <Select<Category | null>
            allowClear
            placeholder={t('indicators.allCategories')}
            aria-label={t('indicators.category')}
            value={category}
            onChange={(value) => setCategory(value ?? null)}
            options={categoryList.map((value) => ({ value, label: t(`benchmarking.categories.${value}`) }))}
            style={{ width: 140 }}
          />
          <Select<Direction | null>
            allowClear
            placeholder={t('indicators.allDirections')}
            aria-label={t('indicators.direction')}
            value={direction}
            onChange={(value) => setDirection(value ?? null)}
            options={directionList.map((value) => ({ value, label: t(`benchmarking.directions.${value}`) }))}
            style={{ width: 140 }}
          />
          <Select<Aggregation | null>
            allowClear
            placeholder={t('indicators.allAggregations')}
            aria-label={t('indicators.aggregation')}
            value={aggregation}
            onChange={(value) => setAggregation(value ?? null)}
            options={aggregationList.map((value) => ({ value, label: t(`benchmarking.aggregations.${value}`) }))}
            style={{ width: 150 }}
          />
        </Flex>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ code: null })}>
            {t('indicators.create')}
          </Button>
        ) : null}
      </Flex>
      <Table<Indicator>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={filtered}
        loading={indicators.isPending}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('indicators.empty') }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (total) => t('common.total', { total }) }}
      />
      {editing && (editing.code === null || editingIndicator) ? (
        <IndicatorFormDrawer
          indicator={editingIndicator ?? null}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            void message.success(created ? t('indicators.created') : t('indicators.updated'));
          }}
        />
      ) : null}
    </Flex>
  );
}
