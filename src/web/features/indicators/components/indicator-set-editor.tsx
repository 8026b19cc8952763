import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Flex, Form, InputNumber, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import { useErrorMessage } from '../../../app/errors';
import { usePermission } from '../../../app/session';
import { LoadError, PageSpin } from '../../../app/status-pages';
import { useSelection } from '../../benchmarking/selection';
import { UnitPicker } from '../../benchmarking/unit-picker';
import { useIndicators, useIndicatorSet, usePutIndicatorSet, type IndicatorSet } from '../queries';

interface SetItem {
  indicator: string;
  weight: number;
}

/** A unit's indicator set as loaded, edited in place until saved. Keyed by unit and load, so it starts fresh. */
function SetTable({ set, library, canWrite }: { set: IndicatorSet; library: Map<string, Indicator>; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describeError = useErrorMessage();
  const put = usePutIndicatorSet();
  const initial = set.items.map(({ indicator, weight }) => ({ indicator, weight }));
  const [items, setItems] = useState<SetItem[]>(initial);
  const [adding, setAdding] = useState<string[]>([]);
  const english = i18n.language === 'en-US';
  const dirty = JSON.stringify(items) !== JSON.stringify(initial);

  const nameOf = (code: string) => {
    const indicator = library.get(code);
    return indicator ? (english ? indicator.nameEn : indicator.nameZh) : code;
  };
  const move = (index: number, by: number) =>
    setItems((list) => {
      const next = [...list];
      const [item] = next.splice(index, 1);
      if (item) next.splice(index + by, 0, item);
      return next;
    });

  const columns: TableColumnsType<SetItem> = [
    { key: 'order', title: t('indicators.sets.order'), width: 60, align: 'right', render: (_v, _item, index) => <span className="num">{index + 1}</span> },
    {
      key: 'indicator',
      title: t('indicators.sets.indicator'),
      render: (_v, item) => {
        const indicator = library.get(item.indicator);
        return (
          <Flex vertical>
            <span>{nameOf(item.indicator)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {item.indicator}
              {indicator?.uom ? ` · ${indicator.uom}` : ''}
              {indicator?.formula ? (
                <Tag color="blue" style={{ marginInlineStart: 4 }}>
                  {t('benchmarking.formulaTag')}
                </Tag>
              ) : null}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      key: 'category',
      title: t('indicators.category'),
      width: 100,
      render: (_v, item) => {
        const indicator = library.get(item.indicator);
        return indicator ? <Tag>{t(`benchmarking.categories.${indicator.category}`)}</Tag> : null;
      },
    },
    {
      key: 'weight',
      title: t('indicators.sets.weight'),
      width: 130,
      align: 'right',
      render: (_v, item, index) =>
        canWrite ? (
          <InputNumber<number>
            aria-label={`${t('indicators.sets.weight')} ${item.indicator}`}
            min={0}
            max={1000}
            step={0.1}
            value={item.weight}
            onChange={(value) =>
              setItems((list) => list.map((entry, i) => (i === index ? { ...entry, weight: typeof value === 'number' ? value : 0 } : entry)))
            }
            styles={{ input: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }}
            style={{ width: 100 }}
          />
        ) : (
          <span className="num">{item.weight}</span>
        ),
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 130,
      render: (_v, item, index) => (
        <Flex gap={4}>
          <Tooltip title={t('indicators.sets.moveUp')}>
            <Button size="small" icon={<ArrowUpOutlined aria-hidden />} aria-label={t('indicators.sets.moveUp')} disabled={index === 0} onClick={() => move(index, -1)} />
          </Tooltip>
          <Tooltip title={t('indicators.sets.moveDown')}>
            <Button
              size="small"
              icon={<ArrowDownOutlined aria-hidden />}
              aria-label={t('indicators.sets.moveDown')}
              disabled={index === items.length - 1}
              onClick={() => move(index, 1)}
            />
          </Tooltip>
          <Tooltip title={t('indicators.sets.remove')}>
            <Button
              size="small"
              danger
              icon={<DeleteOutlined aria-hidden />}
              aria-label={`${t('indicators.sets.remove')} ${item.indicator}`}
              onClick={() => setItems((list) => list.filter((entry) => entry.indicator !== item.indicator))}
            />
          </Tooltip>
        </Flex>
      ),
    });
  }

  const assigned = new Set(items.map((item) => item.indicator));
  const addOptions = [...library.values()]
    .filter((indicator) => !assigned.has(indicator.code))
    .map((indicator) => ({ value: indicator.code, label: `${indicator.code} ${english ? indicator.nameEn : indicator.nameZh}` }));

  return (
    <Flex vertical gap={12}>
      {canWrite ? (
        <Flex gap={8} wrap>
          <Select<string[]>
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('indicators.sets.addPlaceholder')}
            aria-label={t('indicators.sets.add')}
            value={adding}
            onChange={setAdding}
            options={addOptions}
            style={{ minWidth: 280, flex: '1 1 280px', maxWidth: 560 }}
          />
          <Button
            icon={<PlusOutlined aria-hidden />}
            disabled={adding.length === 0}
            onClick={() => {
              setItems((list) => [...list, ...adding.map((indicator) => ({ indicator, weight: 1 }))]);
              setAdding([]);
            }}
          >
            {t('indicators.sets.add')}
          </Button>
        </Flex>
      ) : null}
      <Table<SetItem>
        rowKey="indicator"
        size="small"
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 560 }}
        locale={{ emptyText: t('indicators.sets.empty') }}
        footer={() => <Typography.Text type="secondary">{t('indicators.sets.count', { count: items.length })}</Typography.Text>}
      />
      {canWrite ? (
        <Flex gap={8}>
          <Button
            type="primary"
            icon={<SaveOutlined aria-hidden />}
            disabled={!dirty}
            loading={put.isPending}
            onClick={() =>
              put.mutate(
                { unit: set.unit, items },
                {
                  onSuccess: () => void message.success(t('indicators.sets.saved')),
                  onError: (error) => void message.error(describeError(error)),
                },
              )
            }
          >
            {t('indicators.sets.save')}
          </Button>
          <Button icon={<UndoOutlined aria-hidden />} disabled={!dirty} onClick={() => setItems(initial)}>
            {t('indicators.sets.reset')}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}

/** 单位指标集: which indicators a unit reports, in which order and with which weights. */
export function IndicatorSetEditor() {
  const { t } = useTranslation();
  const can = usePermission();
  const { unit, settled, setUnit } = useSelection();
  const set = useIndicatorSet(unit);
  const indicators = useIndicators();
  const library = new Map((indicators.data ?? []).map((indicator) => [indicator.code, indicator]));
  const canWrite = can('indicator.write');

  return (
    <Flex vertical gap={12}>
      <Form layout="inline">
        <Form.Item label={t('indicators.sets.unit')} htmlFor="set-unit">
          <UnitPicker id="set-unit" value={unit} onChange={setUnit} />
        </Form.Item>
      </Form>
      {canWrite ? null : <Alert type="info" showIcon title={t('indicators.sets.readOnly')} />}
      {set.isError ? (
        <LoadError error={set.error} onRetry={() => void set.refetch()} />
      ) : set.data && indicators.data ? (
        <SetTable key={`${set.data.unit}/${set.dataUpdatedAt}`} set={set.data} library={library} canWrite={canWrite} />
      ) : settled && !unit ? (
        <Empty description={t('benchmarking.pickUnit')} />
      ) : (
        <PageSpin />
      )}
    </Flex>
  );
}
