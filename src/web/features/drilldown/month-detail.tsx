import { WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { LoadError, PageSpin } from '../../app/status-pages';
import { noValue } from '../benchmarking/format';
import { StatusTag } from '../benchmarking/status-tag';
import { detailStatus } from './drilldown-model';
import { FormulaLine, IndicatorFacts, SourceTag, useDrilldownNames } from './drilldown-parts';
import { HistoryTimeline } from './history-timeline';
import { useMeasurementDetail, type MeasurementDetail } from './queries';

type Input = MeasurementDetail['inputs'][number];

/** One month's number: value and status, source and people, note, formula inputs, and its history. */
export function MonthDetail({ unit, indicator, month, onOpenInput }: { unit: string; indicator: string; month: string; onOpenInput: (input: string) => void }) {
  const { t } = useTranslation();
  const names = useDrilldownNames();
  const detail = useMeasurementDetail(unit, indicator, month);
  if (detail.isError) return <LoadError error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!detail.data) return <PageSpin />;

  const data = detail.data;
  const definition = names.indicators.get(indicator);
  const figure = (value: number | null) => names.figure(indicator, value);
  const lastChange = data.updatedAt ?? data.history.at(-1)?.at ?? null;

  const inputColumns: TableColumnsType<Input> = [
    {
      key: 'indicator',
      title: t('drilldown.indicator'),
      render: (_v, input) => (
        <Flex vertical gap={0} align="flex-start">
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto' }}
            aria-label={t('drilldown.openInput', { name: names.indicatorName(input.indicator), code: input.indicator })}
            onClick={() => onOpenInput(input.indicator)}
          >
            {names.indicatorName(input.indicator)}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {input.indicator}
            {names.indicators.get(input.indicator)?.uom ? ` · ${names.indicators.get(input.indicator)?.uom}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'value', title: t('drilldown.value'), align: 'right', render: (_v, input) => <span className="num">{names.figure(input.indicator, input.value)}</span> },
    { key: 'status', title: t('drilldown.status'), render: (_v, input) => <StatusTag status={input.status} /> },
    { key: 'source', title: t('drilldown.source'), render: (_v, input) => <SourceTag source={input.source} /> },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={24} wrap align="flex-end">
        <Statistic
          title={t('drilldown.value')}
          value={figure(data.value)}
          suffix={definition?.uom ? <span style={{ fontSize: 14 }}>{definition.uom}</span> : undefined}
          styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
        />
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{t('drilldown.status')}</Typography.Text>
          <Flex gap={4} wrap>
            <StatusTag status={detailStatus(data)} />
            {data.suspect ? (
              <Tag color="warning" icon={<WarningOutlined aria-hidden />}>
                {t('drilldown.suspect')}
              </Tag>
            ) : null}
          </Flex>
        </Flex>
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{t('drilldown.source')}</Typography.Text>
          <SourceTag source={data.source} />
        </Flex>
      </Flex>
      {data.suspect ? <Alert type="warning" showIcon title={t('drilldown.suspectHint')} /> : null}
      {data.formula ? null : (
        <div>
          <Typography.Title level={5}>{t('drilldown.note')}</Typography.Title>
          {data.note ? (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{data.note}</Typography.Paragraph>
          ) : (
            <Typography.Text type="secondary">{t('drilldown.noNote')}</Typography.Text>
          )}
        </div>
      )}
      {data.formula ? (
        <div>
          <Typography.Title level={5}>{t('drilldown.formula')}</Typography.Title>
          <FormulaLine
            formula={data.formula}
            figureOf={(code) => names.figure(code, data.inputs.find((input) => input.indicator === code)?.value)}
            result={figure(data.value)}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0' }}>
            {t('drilldown.inputsHint')}
          </Typography.Paragraph>
          <Table<Input> size="small" rowKey="indicator" columns={inputColumns} dataSource={data.inputs} pagination={false} />
        </div>
      ) : null}
      <IndicatorFacts
        unit={unit}
        code={indicator}
        indicator={definition}
        period={month}
        more={
          data.formula
            ? []
            : [
                { key: 'enteredBy', label: t('drilldown.enteredBy'), children: data.enteredBy ?? noValue },
                { key: 'lastChange', label: t('drilldown.lastChange'), children: <span className="num">{formatDateTime(lastChange)}</span> },
                { key: 'approvedBy', label: t('drilldown.approvedBy'), children: data.approvedBy ?? noValue },
                { key: 'approvedAt', label: t('drilldown.approvedAt'), children: <span className="num">{formatDateTime(data.approvedAt)}</span> },
                ...(data.returnComment ? [{ key: 'returnComment', label: t('drilldown.returnComment'), children: data.returnComment }] : []),
              ]
        }
      />
      <div>
        <Typography.Title level={5}>{t('drilldown.history')}</Typography.Title>
        <HistoryTimeline history={data.history} indicator={indicator} source={data.source} />
      </div>
    </Flex>
  );
}
