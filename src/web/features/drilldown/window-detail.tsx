import { Alert, Button, Flex, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError, PageSpin } from '../../app/status-pages';
import { StatusTag } from '../benchmarking/status-tag';
import { detailStatus, windowValues } from './drilldown-model';
import { FormulaLine, IndicatorFacts, SourceTag, useDrilldownNames } from './drilldown-parts';
import { useWindowDetails, type MeasurementDetail } from './queries';

/**
 * A quarter's or a year to date's number: the months it is made of, each one a way further down,
 * and how they add up (for a formula: the formula of the inputs' totals).
 */
export function WindowDetail({
  unit,
  indicator,
  months,
  periodLabel,
  onOpenMonth,
  onOpenInput,
}: {
  unit: string;
  indicator: string;
  months: string[];
  periodLabel: string;
  onOpenMonth: (month: string) => void;
  onOpenInput: (input: string) => void;
}) {
  const { t } = useTranslation();
  const names = useDrilldownNames();
  const details = useWindowDetails(unit, indicator, months);
  if (details.isError) return <LoadError error={details.error} onRetry={details.refetch} />;
  if (!details.data || !names.settled) return <PageSpin />;

  const rows = details.data;
  const definition = names.indicators.get(indicator);
  const formula = rows[0]?.formula ?? null;
  const inputCodes = rows[0]?.inputs.map((input) => input.indicator) ?? [];
  const totals = windowValues(indicator, months, rows, names.indicators);
  const figure = (value: number | null) => names.figure(indicator, value);
  const range = `${months[0]} – ${months.at(-1)}`;
  const aggregation = definition ? t(`benchmarking.aggregations.${definition.aggregation}`) : '';

  const columns: TableColumnsType<MeasurementDetail> = [
    {
      key: 'month',
      title: t('drilldown.month'),
      render: (_v, row) => (
        <Button
          type="link"
          size="small"
          className="num"
          style={{ padding: 0, height: 'auto' }}
          aria-label={t('drilldown.openMonth', { name: names.indicatorName(indicator), month: row.period })}
          onClick={() => onOpenMonth(row.period)}
        >
          {row.period}
        </Button>
      ),
    },
    ...inputCodes.map((code) => ({
      key: `input-${code}`,
      title: names.indicatorName(code),
      align: 'right' as const,
      render: (_v: unknown, row: MeasurementDetail) => (
        <span className="num">{names.figure(code, row.inputs.find((input) => input.indicator === code)?.value)}</span>
      ),
    })),
    { key: 'value', title: names.indicatorName(indicator), align: 'right', render: (_v, row) => <strong className="num">{figure(row.value)}</strong> },
    { key: 'status', title: t('drilldown.status'), render: (_v, row) => <StatusTag status={detailStatus(row)} /> },
    { key: 'source', title: t('drilldown.source'), render: (_v, row) => <SourceTag source={row.source} /> },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={24} wrap align="flex-end">
        <Statistic
          title={t('drilldown.windowValue', { period: periodLabel })}
          value={figure(totals.value)}
          suffix={definition?.uom ? <span style={{ fontSize: 14 }}>{definition.uom}</span> : undefined}
          styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
        />
      </Flex>
      <Alert
        type="info"
        showIcon
        title={
          formula
            ? t('drilldown.windowFormulaHint', { count: months.length, range })
            : t('drilldown.windowHint', { count: months.length, range, aggregation })
        }
      />
      {formula ? (
        <div>
          <Typography.Title level={5}>{t('drilldown.formula')}</Typography.Title>
          <FormulaLine formula={formula} figureOf={(code) => names.figure(code, totals.inputs.get(code))} result={figure(totals.value)} />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0' }}>
            {t('drilldown.inputsHint')}
          </Typography.Paragraph>
          <Flex gap={8} wrap>
            {inputCodes.map((code) => (
              <Button key={code} size="small" onClick={() => onOpenInput(code)} aria-label={t('drilldown.openInput', { name: names.indicatorName(code), code })}>
                {names.indicatorName(code)}
              </Button>
            ))}
          </Flex>
        </div>
      ) : null}
      <div>
        <Typography.Title level={5}>{t('drilldown.months')}</Typography.Title>
        <Table<MeasurementDetail>
          size="small"
          rowKey="period"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <strong>{t('drilldown.windowTotal')}</strong>
              </Table.Summary.Cell>
              {inputCodes.map((code, i) => (
                <Table.Summary.Cell key={code} index={i + 1} align="right">
                  <span className="num">{names.figure(code, totals.inputs.get(code))}</span>
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={inputCodes.length + 1} align="right">
                <strong className="num">{figure(totals.value)}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={inputCodes.length + 2} colSpan={2} />
            </Table.Summary.Row>
          )}
        />
      </div>
      <IndicatorFacts
        unit={unit}
        code={indicator}
        indicator={definition}
        period={`${periodLabel} (${range})`}
        more={[{ key: 'aggregation', label: t('drilldown.aggregation'), children: aggregation }]}
      />
    </Flex>
  );
}
