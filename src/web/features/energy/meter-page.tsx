import { Card, Descriptions, Empty, Flex, Form, Input, Segmented, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { Chart, type ChartOption } from '../../app/charts';
import { LoadError, PageSpin } from '../../app/status-pages';
import { CarrierTag, formatQuantity, formatShanghai, monthRange, qualityColor, RecomputingNote, useDefaultMonth } from './parts';
import { useConsumption, useMeter, useReadings, type Consumption, type Grain } from './queries';
import { useSetSearchParam } from '../../app/use-search-param';

const isDate = (v: string | null): v is string => Boolean(v && /^\d{4}-\d{2}-\d{2}$/.test(v));

/** A bucket's label: the hour, the day or the month of its Shanghai start. */
function bucketLabel(start: string, grain: Grain): string {
  if (grain === 'hour') return `${start.slice(0, 10)} ${start.slice(11, 16)}`;
  return grain === 'day' ? start.slice(0, 10) : start.slice(0, 7);
}

function ConsumptionChart({ data, label }: { data: Consumption; label: string }) {
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: data.rows.map((r) => bucketLabel(r.start, data.interval)) },
    yAxis: { type: 'value', name: data.unit },
    series: [
      {
        type: 'bar',
        name: label,
        data: data.rows.map((r) => ({ value: r.consumption ?? '-', itemStyle: { color: r.quality !== null && r.quality < 90 ? qualityColor(r.quality) : '#1677ff' } })),
      },
    ],
  };
  return <Chart option={option} height={300} label={label} />;
}

/** 表计详情: the meter's facts and replacements, its consumption per hour/day/month with quality, and its raw readings. */
export function MeterPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { code } = useParams();
  const [params] = useSearchParams();
  const month = useDefaultMonth();
  const fallback = month ? monthRange(month) : undefined;
  const from = isDate(params.get('from')) ? params.get('from')! : (fallback?.from ?? '');
  const to = isDate(params.get('to')) ? params.get('to')! : (fallback?.to ?? '');
  const grainParam = params.get('interval');
  const grain: Grain = grainParam === 'hour' || grainParam === 'month' ? grainParam : 'day';
  const meter = useMeter(code);
  const ready = Boolean(from && to);
  const consumption = useConsumption(ready && meter.data ? code : undefined, from, to, grain);
  const readings = useReadings(ready && meter.data && meter.data.kind !== 'virtual' ? code : undefined, from, to);
  const set = useSetSearchParam();

  if (meter.isError) return <LoadError error={meter.error} onRetry={() => void meter.refetch()} />;
  if (!meter.data) return <PageSpin />;
  const m = meter.data;
  const name = locale === 'en-US' && m.nameEn ? m.nameEn : m.nameZh;
  const chartLabel = t('energy.detail.chartLabel', { meter: m.code });

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {m.code} {name}
      </Typography.Title>
      <Link to={`/energy/meters?unit=${encodeURIComponent(m.unit)}`}>{t('energy.detail.back')}</Link>
      <Card size="small" title={t('energy.detail.facts')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('energy.meter.unit')}>{m.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.carrier')}>
            <CarrierTag carrier={m.carrier} />
          </Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.kind')}>{t(`energy.kinds.${m.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.uom')}>{m.uom}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.multiplier')}>{m.multiplier}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.rollover')}>{m.rollover === null ? '—' : formatQuantity(m.rollover, locale)}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.interval')}>{t('energy.meter.minutes', { count: m.intervalMinutes })}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.parent')}>{m.parent ? <Link to={`/energy/meters/${encodeURIComponent(m.parent)}`}>{m.parent}</Link> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('energy.meter.valid')}>
            {m.validFrom} – {m.validTo ?? '…'} {m.active ? null : <Tag>{t('energy.meter.inactive')}</Tag>}
          </Descriptions.Item>
          {m.formula.length ? (
            <Descriptions.Item label={t('energy.meter.formula')}>
              {m.formula.map((f) => `${f.sign < 0 ? '−' : '+'} ${f.meter}`).join(' ')}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {m.replacements.length ? (
        <Card size="small" title={t('energy.detail.replacements')}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={m.replacements}
            columns={[
              { title: t('energy.detail.at'), dataIndex: 'at', render: (v: string) => formatShanghai(v) },
              { title: t('energy.detail.oldFinal'), dataIndex: 'oldFinal', align: 'right', render: (v: number) => formatQuantity(v, locale) },
              { title: t('energy.detail.newInitial'), dataIndex: 'newInitial', align: 'right', render: (v: number) => formatQuantity(v, locale) },
              { title: t('energy.detail.note'), dataIndex: 'note' },
            ]}
          />
        </Card>
      ) : null}
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('energy.range.from')} htmlFor="meter-from">
          <Input id="meter-from" type="date" value={from} onChange={(e) => isDate(e.target.value) && set('from', e.target.value)} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('energy.range.to')} htmlFor="meter-to">
          <Input id="meter-to" type="date" value={to} onChange={(e) => isDate(e.target.value) && set('to', e.target.value)} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('energy.detail.interval')}>
          <Segmented<Grain>
            value={grain}
            onChange={(v) => set('interval', v)}
            options={(['hour', 'day', 'month'] as const).map((g) => ({ value: g, label: t(`energy.grains.${g}`) }))}
          />
        </Form.Item>
      </Form>
      <RecomputingNote />
      <Tabs
        items={[
          {
            key: 'consumption',
            label: t('energy.detail.consumption'),
            children: consumption.isError ? (
              <LoadError error={consumption.error} onRetry={() => void consumption.refetch()} />
            ) : !consumption.data ? (
              <PageSpin />
            ) : (
              <Card size="small">
                <Typography.Text type="secondary" data-testid="consumption-total">
                  {t('energy.detail.total', { value: formatQuantity(consumption.data.rows.reduce((s, r) => s + (r.consumption ?? 0), 0), locale), uom: consumption.data.unit })}
                </Typography.Text>
                {consumption.data.rows.length ? <ConsumptionChart data={consumption.data} label={chartLabel} /> : <Empty description={t('energy.detail.noData')} />}
                <Table
                  size="small"
                  rowKey="start"
                  scroll={{ x: 'max-content' }}
                  pagination={{ pageSize: grain === 'hour' ? 24 : 31, showSizeChanger: false }}
                  dataSource={consumption.data.rows}
                  columns={[
                    { title: t('energy.detail.start'), dataIndex: 'start', render: (v: string) => bucketLabel(v, grain) },
                    { title: `${t('energy.detail.consumption')} (${consumption.data.unit})`, dataIndex: 'consumption', align: 'right', render: (v: number | null) => formatQuantity(v, locale) },
                    {
                      title: t('energy.detail.quality'),
                      dataIndex: 'quality',
                      align: 'right',
                      render: (v: number | null) => (v === null ? '—' : <Tag color={qualityColor(v)}>{Math.round(v)}</Tag>),
                    },
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'readings',
            label: t('energy.detail.readings'),
            disabled: m.kind === 'virtual',
            children: readings.isError ? (
              <LoadError error={readings.error} onRetry={() => void readings.refetch()} />
            ) : (
              <Card size="small">
                {readings.data?.truncated ? <Typography.Text type="warning">{t('energy.detail.truncated')}</Typography.Text> : null}
                <Table
                  size="small"
                  rowKey="at"
                  loading={readings.isPending}
                  scroll={{ x: 'max-content' }}
                  pagination={{ pageSize: 50, showSizeChanger: false }}
                  dataSource={readings.data?.rows ?? []}
                  columns={[
                    { title: t('energy.detail.at'), dataIndex: 'at', render: (v: string) => formatShanghai(v) },
                    { title: t('energy.detail.value'), dataIndex: 'value', align: 'right', render: (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(v) },
                    { title: t('energy.detail.received'), dataIndex: 'receivedAt', render: (v: string) => formatShanghai(v) },
                  ]}
                />
              </Card>
            ),
          },
        ]}
      />
    </Flex>
  );
}
