import { MinusCircleOutlined, PlusOutlined, SendOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Form, Select, Table, Tabs, Tag, Tooltip, Typography, theme } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { addDays } from '../../../../domain/notices/week';
import { Chart, type ChartOption } from '../../../app/charts';
import { DateRangeField } from '../../../app/date-fields';
import { formatDateTime } from '../../../app/format';
import { usePermission } from '../../../app/session';
import { LoadError } from '../../../app/status-pages';
import { useSetSearchParam } from '../../../app/use-search-param';
import { useTabParam } from '../../../app/use-tab-param';
import { formatPrice, formatQuantity, formatYuan, nameIn } from './support-parts';
import { useDistributionSummary, useMovements, usePurchases, useSupplies, type DistributionSummary, type Movement, type Purchase, type Supply } from './support-queries';
import { onDemand } from '../../../app/on-demand';

// The dialogs and the purchase drawer (forms with number inputs and date pickers) load when first opened.
const loadForms = () => import(/* on demand */ './supplies-forms');
const NewSupplyModal = onDemand(async () => (await loadForms()).NewSupplyModal, (props) => props.open);
const PurchaseDrawer = onDemand(async () => (await loadForms()).PurchaseDrawer, (props) => props.open);
const DistributeModal = onDemand(async () => (await loadForms()).DistributeModal, (props) => props.open);
const AdjustModal = onDemand(async () => (await loadForms()).AdjustModal, (props) => props.open);

const tabs = ['stock', 'purchases', 'movements', 'distribution'] as const;
/** Days of distribution the stock should still cover; below it the stock is low. */
const lowCoverDays = 7;
/** The days whose distribution give the daily rate. */
const rateWindowDays = 14;

type Dialog = { kind: 'supply' } | { kind: 'purchase' | 'distribute' | 'adjust'; supply?: string } | null;

interface Cover {
  /** Distributed a day, on average over the window (null: nothing distributed). */
  perDay: number | null;
  /** Days the stock lasts at that rate. */
  days: number | null;
  low: boolean;
}

/**
 * How long each supply's stock lasts at the rate it was handed out over the last 14 days of
 * movements (ending on the latest day with any movement): low under 7 days, or when none is left.
 */
function coverOf(supplies: readonly Supply[], movements: readonly Movement[]): Map<string, Cover> {
  const end = movements.reduce((latest, m) => (m.date > latest ? m.date : latest), '');
  const start = end ? addDays(end, -(rateWindowDays - 1)) : '';
  const out = new Map<string, number>();
  for (const m of movements) {
    if (m.kind === 'out' && m.date >= start && m.date <= end) out.set(m.supply, (out.get(m.supply) ?? 0) - Number(m.change));
  }
  const result = new Map<string, Cover>();
  for (const s of supplies) {
    const stock = Number(s.stock);
    const given = out.get(s.code) ?? 0;
    const perDay = given > 0 ? given / rateWindowDays : null;
    const days = perDay ? stock / perDay : null;
    result.set(s.code, { perDay, days, low: stock <= 0 || (days !== null && days < lowCoverDays) });
  }
  return result;
}

/** 防疫物资: stock (low stock stands out), purchases over three quotes, distribution, adjustments, movements with the running balance. */
export function SuppliesPage() {
  const { t } = useTranslation();
  const can = usePermission();
  const canWrite = can('health.write');
  const [tab, setTab] = useTabParam(tabs);
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const open = (d: Dialog) => () => setDialog(d);

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('healthSupport.supplies.title')}
        </Typography.Title>
        {canWrite ? (
          <Flex gap={8} wrap>
            <Button icon={<PlusOutlined aria-hidden />} onClick={open({ kind: 'supply' })}>
              {t('healthSupport.supplies.newSupply')}
            </Button>
            <Button icon={<MinusCircleOutlined aria-hidden />} onClick={open({ kind: 'adjust' })}>
              {t('healthSupport.adjust.title')}
            </Button>
            <Button icon={<SendOutlined aria-hidden />} onClick={open({ kind: 'distribute' })}>
              {t('healthSupport.distribute.title')}
            </Button>
            <Button type="primary" icon={<ShoppingCartOutlined aria-hidden />} onClick={open({ kind: 'purchase' })}>
              {t('healthSupport.purchase.title')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'stock', label: t('healthSupport.supplies.tabs.stock'), children: <StockTab canWrite={canWrite} onAct={(kind, supply) => setDialog({ kind, supply })} /> },
          { key: 'purchases', label: t('healthSupport.supplies.tabs.purchases'), children: <PurchasesTab /> },
          { key: 'movements', label: t('healthSupport.supplies.tabs.movements'), children: <MovementsTab /> },
          { key: 'distribution', label: t('healthSupport.supplies.tabs.distribution'), children: <DistributionTab /> },
        ]}
      />
      <NewSupplyModal open={dialog?.kind === 'supply'} onClose={close} />
      <PurchaseDrawer open={dialog?.kind === 'purchase'} onClose={close} supply={dialog && 'supply' in dialog ? dialog.supply : undefined} />
      <DistributeModal open={dialog?.kind === 'distribute'} onClose={close} supply={dialog && 'supply' in dialog ? dialog.supply : undefined} />
      <AdjustModal open={dialog?.kind === 'adjust'} onClose={close} supply={dialog && 'supply' in dialog ? dialog.supply : undefined} />
    </Flex>
  );
}

function StockTab({ canWrite, onAct }: { canWrite: boolean; onAct: (kind: 'purchase' | 'distribute' | 'adjust', supply: string) => void }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const supplies = useSupplies();
  const movements = useMovements(undefined);
  const rows = useMemo(() => supplies.data?.rows ?? [], [supplies.data]);
  const cover = useMemo(() => coverOf(rows, movements.data?.rows ?? []), [rows, movements.data]);

  const columns: ColumnsType<Supply> = [
    {
      title: t('healthSupport.common.supply'),
      key: 'name',
      render: (_v, s) => (
        <span>
          {nameIn(i18n.language, s.nameZh, s.nameEn)} <Typography.Text type="secondary">({s.code})</Typography.Text>
        </span>
      ),
    },
    { title: t('healthSupport.supplies.kind'), dataIndex: 'kind', render: (k: Supply['kind']) => <Tag>{t(`healthSupport.kinds.${k}`)}</Tag> },
    {
      title: t('healthSupport.supplies.stock'),
      key: 'stock',
      align: 'right',
      render: (_v, s) => {
        const c = cover.get(s.code);
        return (
          <Flex gap={6} justify="flex-end" align="center" data-testid={`stock-${s.code}`}>
            {c?.low ? <Tag color="red">{Number(s.stock) <= 0 ? t('healthSupport.supplies.out') : t('healthSupport.supplies.low')}</Tag> : null}
            <Typography.Text strong className="num" style={c?.low ? { color: token.colorError } : undefined}>
              {formatQuantity(s.stock)} {s.unitLabel}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      title: (
        <Tooltip title={t('healthSupport.supplies.coverHint', { window: rateWindowDays, low: lowCoverDays })}>
          <span style={{ borderBottom: '1px dotted' }}>{t('healthSupport.supplies.cover')}</span>
        </Tooltip>
      ),
      key: 'cover',
      align: 'right',
      render: (_v, s) => {
        const c = cover.get(s.code);
        if (!c || c.days === null || c.perDay === null) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Tooltip title={t('healthSupport.supplies.perDay', { count: Math.round(c.perDay), unit: s.unitLabel })}>
            <span className="num">{t('healthSupport.supplies.days', { count: Math.floor(c.days) })}</span>
          </Tooltip>
        );
      },
    },
    {
      title: t('healthSupport.supplies.lastPurchase'),
      key: 'last',
      render: (_v, s) =>
        s.lastPurchase ? (
          <span>
            {s.lastPurchase.date} · ¥{formatPrice(s.lastPurchase.unitPrice)}/{s.unitLabel} · {s.lastPurchase.supplier}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('healthSupport.supplies.noPurchase')}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, s) => (
        <Flex gap={4} wrap>
          <Link to={`?tab=movements&supply=${encodeURIComponent(s.code)}`}>
            <Button size="small" type="link">
              {t('healthSupport.supplies.movementsOf')}
            </Button>
          </Link>
          {canWrite ? (
            <>
              <Button size="small" onClick={() => onAct('distribute', s.code)}>
                {t('healthSupport.distribute.short')}
              </Button>
              <Button size="small" onClick={() => onAct('purchase', s.code)}>
                {t('healthSupport.purchase.short')}
              </Button>
            </>
          ) : null}
        </Flex>
      ),
    },
  ];

  if (supplies.isError) return <LoadError error={supplies.error} onRetry={() => void supplies.refetch()} />;
  const lowCount = rows.filter((s) => cover.get(s.code)?.low).length;
  return (
    <Flex vertical gap={8}>
      {lowCount > 0 ? <Typography.Text type="danger">{t('healthSupport.supplies.lowCount', { count: lowCount })}</Typography.Text> : null}
      <Table<Supply>
        size="small"
        rowKey="code"
        loading={supplies.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t(canWrite ? 'healthSupport.supplies.emptyWrite' : 'healthSupport.supplies.empty')} /> }}
      />
    </Flex>
  );
}

function SupplyFilter({ value, onChange, allowClear }: { value: string | undefined; onChange: (v: string | undefined) => void; allowClear?: boolean }) {
  const { t, i18n } = useTranslation();
  const supplies = useSupplies();
  return (
    <Form layout="inline" style={{ rowGap: 8 }}>
      <Form.Item label={t('healthSupport.common.supply')} htmlFor="supply-filter">
        <Select<string>
          id="supply-filter"
          value={value}
          onChange={(v) => onChange(v ?? undefined)}
          allowClear={allowClear}
          placeholder={t('healthSupport.supplies.allSupplies')}
          loading={supplies.isPending}
          style={{ minWidth: 220 }}
          options={(supplies.data?.rows ?? []).map((s) => ({ value: s.code, label: `${nameIn(i18n.language, s.nameZh, s.nameEn)} (${s.code})` }))}
        />
      </Form.Item>
    </Form>
  );
}

function PurchasesTab() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const supply = params.get('supply') ?? undefined;
  const purchases = usePurchases(supply);

  const quoteColumns: ColumnsType<Purchase['quotes'][number]> = [
    { title: t('healthSupport.purchase.supplier'), dataIndex: 'supplier' },
    { title: t('healthSupport.purchase.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: (v: string) => <span className="num">¥{formatPrice(v)}</span> },
    { title: t('healthSupport.purchase.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
    {
      title: '',
      key: 'flags',
      render: (_v, q) => (
        <Flex gap={4}>
          {q.lowest ? <Tag color="green">{t('healthSupport.purchase.lowest')}</Tag> : null}
          {q.chosen ? <Tag color="blue">{t('healthSupport.purchase.chosen')}</Tag> : null}
        </Flex>
      ),
    },
  ];
  const columns: ColumnsType<Purchase> = [
    { title: t('healthSupport.common.date'), dataIndex: 'date', width: 110 },
    { title: t('healthSupport.common.supply'), key: 'supply', render: (_v, p) => `${p.supply.nameZh} (${p.supply.code})` },
    { title: t('healthSupport.common.quantity'), key: 'quantity', align: 'right', render: (_v, p) => <span className="num">{`${formatQuantity(p.quantity)} ${p.supply.unitLabel}`}</span> },
    {
      title: t('healthSupport.purchase.chosenQuote'),
      key: 'chosen',
      render: (_v, p) => {
        const q = p.quotes.find((x) => x.chosen);
        return q ? `${q.supplier} · ¥${formatPrice(q.unitPrice)}` : '—';
      },
    },
    { title: t('healthSupport.purchase.totalCol'), dataIndex: 'total', align: 'right', render: (v: string) => <span className="num">{formatYuan(v)}</span> },
    {
      title: t('healthSupport.purchase.quotesCol'),
      key: 'quotes',
      render: (_v, p) => (
        <Flex gap={4} wrap>
          <Tag>{t('healthSupport.purchase.quoteCount', { count: p.quotes.length })}</Tag>
          {p.lowestChosen ? <Tag color="green">{t('healthSupport.purchase.lowestChosen')}</Tag> : <Tag color="orange">{t('healthSupport.purchase.notLowestChosen')}</Tag>}
        </Flex>
      ),
    },
    { title: t('healthSupport.purchase.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.common.by'), key: 'by', render: (_v, p) => `${p.createdBy ?? '—'} · ${formatDateTime(p.createdAt)}` },
  ];

  return (
    <Flex vertical gap={12}>
      <SupplyFilter value={supply} onChange={(v) => set('supply', v)} allowClear />
      {purchases.isError ? (
        <LoadError error={purchases.error} onRetry={() => void purchases.refetch()} />
      ) : (
        <Table<Purchase>
          size="small"
          rowKey="id"
          loading={purchases.isPending}
          dataSource={purchases.data?.rows ?? []}
          columns={columns}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          expandable={{
            expandedRowRender: (p) => <Table size="small" rowKey="supplier" dataSource={p.quotes} columns={quoteColumns} pagination={false} />,
            rowExpandable: () => true,
          }}
          locale={{ emptyText: t('healthSupport.purchase.empty') }}
        />
      )}
    </Flex>
  );
}

function MovementsTab() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const set = useSetSearchParam();
  const supplies = useSupplies();
  const supply = params.get('supply') ?? supplies.data?.rows[0]?.code;
  const movements = useMovements(supply, Boolean(supply));
  const current = supplies.data?.rows.find((s) => s.code === supply);
  const rows = movements.data?.rows ?? [];
  const newestFirst = useMemo(() => [...(movements.data?.rows ?? [])].reverse(), [movements.data]);

  const kindColor: Record<Movement['kind'], string> = { in: 'green', out: 'blue', adjust: 'orange' };
  const columns: ColumnsType<Movement> = [
    { title: t('healthSupport.common.date'), dataIndex: 'date', width: 110 },
    { title: t('healthSupport.movements.kind'), dataIndex: 'kind', render: (k: Movement['kind']) => <Tag color={kindColor[k]}>{t(`healthSupport.movements.kinds.${k}`)}</Tag> },
    {
      title: t('healthSupport.movements.change'),
      dataIndex: 'change',
      align: 'right',
      render: (v: string) => <span className="num">{v.startsWith('-') ? `−${formatQuantity(v.slice(1))}` : `+${formatQuantity(v)}`}</span>,
    },
    { title: t('healthSupport.movements.balance'), dataIndex: 'balance', align: 'right', render: (v: string) => <Typography.Text strong className="num">{formatQuantity(v)}</Typography.Text> },
    {
      title: t('healthSupport.movements.to'),
      key: 'to',
      render: (_v, m) => (m.unit ? `${m.unit.nameZh} (${m.unit.code})` : m.checkpoint ? `${m.checkpoint.nameZh} (${m.checkpoint.site})` : '—'),
    },
    { title: t('healthSupport.common.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
    { title: t('healthSupport.common.by'), key: 'by', render: (_v, m) => `${m.createdBy ?? '—'} · ${formatDateTime(m.createdAt)}` },
  ];

  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((m) => m.date), boundaryGap: false },
    yAxis: { type: 'value', name: current?.unitLabel },
    series: [{ type: 'line', step: 'end', name: t('healthSupport.movements.balance'), data: rows.map((m) => Number(m.balance)), symbolSize: 3, areaStyle: { opacity: 0.08 } }],
  };

  return (
    <Flex vertical gap={12}>
      <SupplyFilter value={supply} onChange={(v) => set('supply', v)} />
      {movements.isError ? (
        <LoadError error={movements.error} onRetry={() => void movements.refetch()} />
      ) : (
        <>
          {rows.length > 1 ? (
            <Card size="small" title={t('healthSupport.movements.chart', { name: current?.nameZh ?? supply ?? '' })}>
              <Chart option={option} height={200} label={t('healthSupport.movements.chart', { name: current?.nameZh ?? supply ?? '' })} />
            </Card>
          ) : null}
          <Table<Movement>
            size="small"
            rowKey="id"
            loading={movements.isPending && Boolean(supply)}
            dataSource={newestFirst}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 25, showSizeChanger: false, hideOnSinglePage: true }}
            locale={{ emptyText: supply ? t('healthSupport.movements.empty') : t('healthSupport.supplies.empty') }}
          />
        </>
      )}
    </Flex>
  );
}

function DistributionChart({ summary }: { summary: DistributionSummary }) {
  const { t } = useTranslation();
  const units = [...new Map(summary.byUnit.map((r) => [r.unit.code, r.unit.nameZh])).entries()];
  const supplies = [...new Map(summary.byUnit.map((r) => [r.supply.code, r.supply])).values()];
  if (units.length === 0) return <Empty description={t('healthSupport.distribution.noUnits')} />;
  const quantity = (unit: string, supply: string) => Number(summary.byUnit.find((r) => r.unit.code === unit && r.supply.code === supply)?.quantity ?? 0);
  const ordered = [...units].reverse();
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: ordered.map(([, name]) => name), axisLabel: { width: 140, overflow: 'truncate' } },
    series: supplies.map((s) => ({ type: 'bar', stack: 'all', name: `${s.nameZh} (${s.unitLabel})`, data: ordered.map(([code]) => quantity(code, s.code)), emphasis: { focus: 'series' } })),
  };
  return <Chart option={option} height={Math.max(180, units.length * 30 + 60)} label={t('healthSupport.distribution.chartLabel')} />;
}

function DistributionTab() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const summary = useDistributionSummary(from, to);
  // Both ends in one change of the address (two setters in a row would keep only the last).
  const setRange = (start: string | undefined, end: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [k, v] of [['from', start], ['to', end]] as const) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const checkpointColumns: ColumnsType<DistributionSummary['byCheckpoint'][number]> = [
    { title: t('healthSupport.common.checkpoint'), key: 'checkpoint', render: (_v, r) => `${r.checkpoint.nameZh} (${r.checkpoint.site})` },
    { title: t('healthSupport.common.supply'), key: 'supply', render: (_v, r) => r.supply.nameZh },
    { title: t('healthSupport.common.quantity'), key: 'quantity', align: 'right', render: (_v, r) => <span className="num">{`${formatQuantity(r.quantity)} ${r.supply.unitLabel}`}</span> },
  ];

  return (
    <Flex vertical gap={12}>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('healthSupport.distribution.range')}>
          <DateRangeField
            allowEmpty={[true, true]}
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            onChange={(range) => setRange(range?.[0]?.format('YYYY-MM-DD'), range?.[1]?.format('YYYY-MM-DD'))}
          />
        </Form.Item>
      </Form>
      {summary.isError ? (
        <LoadError error={summary.error} onRetry={() => void summary.refetch()} />
      ) : !summary.data ? null : (
        <>
          <Flex gap={8} wrap>
            {summary.data.totals.length === 0 ? (
              <Typography.Text type="secondary">{t('healthSupport.distribution.none')}</Typography.Text>
            ) : (
              summary.data.totals.map((r) => (
                <Tag key={r.supply.code} color="blue" style={{ fontSize: 13, padding: '2px 8px' }}>
                  {r.supply.nameZh} <span className="num">{formatQuantity(r.quantity)}</span> {r.supply.unitLabel}
                </Tag>
              ))
            )}
          </Flex>
          <Card size="small" title={t('healthSupport.distribution.byUnit')}>
            <DistributionChart summary={summary.data} />
          </Card>
          <Card size="small" title={t('healthSupport.distribution.byCheckpoint')}>
            <Table
              size="small"
              rowKey={(r) => `${r.checkpoint.code}|${r.supply.code}`}
              dataSource={summary.data.byCheckpoint}
              columns={checkpointColumns}
              pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('healthSupport.distribution.noCheckpoints') }}
            />
          </Card>
        </>
      )}
    </Flex>
  );
}
