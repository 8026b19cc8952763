import { Card, Flex, Form, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { LoadError } from '../../app/status-pages';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { CarrierTag } from './parts';
import { useMeters, type Carrier, type Meter } from './queries';
import { useSetSearchParam } from '../../app/use-search-param';

const carriers: Carrier[] = ['power', 'water', 'air', 'gas', 'steam', 'heat'];

export interface MeterNode extends Meter {
  children?: MeterNode[];
}

/** The meters as trees: each under its parent (when the parent is in the list), in sort order. */
export function meterTree(rows: Meter[]): MeterNode[] {
  const nodes = new Map<string, MeterNode>(rows.map((m) => [m.code, { ...m }]));
  const roots: MeterNode[] = [];
  for (const m of rows) {
    const node = nodes.get(m.code)!;
    const parent = m.parent ? nodes.get(m.parent) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** 表计: the meter tree of the units in scope, by unit and carrier. */
export function MetersPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const unit = params.get('unit') ?? undefined;
  const carrier = (params.get('carrier') as Carrier | null) ?? undefined;
  const meters = useMeters(unit);
  const rows = useMemo(() => (meters.data?.rows ?? []).filter((m) => !carrier || m.carrier === carrier), [meters.data, carrier]);
  const tree = useMemo(() => meterTree(rows), [rows]);
  const set = useSetSearchParam();
  const en = i18n.language === 'en-US';

  const columns: ColumnsType<MeterNode> = [
    { title: t('energy.meter.code'), dataIndex: 'code', render: (code: string) => <Link to={`/energy/meters/${encodeURIComponent(code)}`}>{code}</Link> },
    { title: t('energy.meter.name'), key: 'name', render: (_v, m) => (en && m.nameEn ? m.nameEn : m.nameZh) },
    { title: t('energy.meter.unit'), dataIndex: 'unitName' },
    { title: t('energy.meter.carrier'), dataIndex: 'carrier', render: (c: Carrier) => <CarrierTag carrier={c} /> },
    { title: t('energy.meter.kind'), dataIndex: 'kind', render: (k: Meter['kind']) => <Tag>{t(`energy.kinds.${k}`)}</Tag> },
    { title: t('energy.meter.uom'), dataIndex: 'uom' },
    { title: t('energy.meter.multiplier'), dataIndex: 'multiplier', align: 'right' },
    { title: t('energy.meter.interval'), dataIndex: 'intervalMinutes', align: 'right', render: (n: number, m) => (m.kind === 'virtual' ? '—' : t('energy.meter.minutes', { count: n })) },
    {
      title: t('energy.meter.formula'),
      key: 'formula',
      render: (_v, m) => (m.formula.length ? m.formula.map((f, i) => `${i === 0 ? (f.sign < 0 ? '−' : '') : f.sign < 0 ? ' − ' : ' + '}${f.meter}`).join('') : null),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('energy.meters.title')}
      </Typography.Title>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('energy.meter.unit')} htmlFor="meters-unit">
          <UnitTreeSelect id="meters-unit" valueField="code" value={unit ?? null} onChange={(v) => set('unit', v)} allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('energy.meter.carrier')} htmlFor="meters-carrier">
          <Select
            id="meters-carrier"
            allowClear
            value={carrier}
            onChange={(v: Carrier | undefined) => set('carrier', v)}
            options={carriers.map((c) => ({ value: c, label: t(`energy.carriers.${c}`) }))}
            style={{ width: 140 }}
          />
        </Form.Item>
      </Form>
      {meters.isError ? (
        <LoadError error={meters.error} onRetry={() => void meters.refetch()} />
      ) : (
        <Card size="small">
          <Typography.Text type="secondary">{t('energy.meters.count', { count: rows.length })}</Typography.Text>
          <Table<MeterNode>
            key={`${unit ?? ''}|${carrier ?? ''}|${rows.length}`}
            size="small"
            rowKey="code"
            loading={meters.isPending}
            dataSource={tree}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            expandable={{ defaultExpandAllRows: true }}
          />
        </Card>
      )}
    </Flex>
  );
}
