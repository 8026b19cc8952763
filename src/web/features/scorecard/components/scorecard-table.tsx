import { Button, Flex, Grid, Table, Tag, Tooltip, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import type { ScorecardRow } from '../../../../server/modules/scorecard/scorecard.schemas';
import { Sparkline } from '../../../app/charts';
import { formatNumber, formatPercent } from '../../benchmarking/format';
import { StatusTag } from '../../benchmarking/status-tag';
import { rowName } from '../scorecard-rows';
import { AttainedTag, BenchmarkCell, ChangeValue, GapValue, RecordBadges } from './cells';

const right = { align: 'right' as const };

/**
 * The scorecard: one row per indicator of the unit's set; a click opens the indicator's details,
 * a click on the actual value where that number comes from.
 */
export function ScorecardTable({
  rows,
  indicators,
  loading,
  onOpen,
  onDrill,
}: {
  rows: ScorecardRow[];
  indicators: ReadonlyMap<string, Indicator>;
  loading: boolean;
  onOpen: (indicator: string) => void;
  onDrill: (indicator: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const locale = i18n.language;
  const precisionOf = (row: ScorecardRow) => indicators.get(row.indicator)?.precision;
  const num = (value: number | null, row: ScorecardRow) => <span className="num">{formatNumber(value, locale, precisionOf(row))}</span>;

  const columns: TableColumnsType<ScorecardRow> = [
    {
      key: 'indicator',
      title: t('scorecard.indicator'),
      className: 'col-indicator',
      // On a phone a fixed column would leave little room for the figures.
      fixed: screens.md ? 'left' : undefined,
      width: screens.md ? 190 : 140,
      render: (_v, row) => (
        <Flex vertical gap={2}>
          <Typography.Link
            onClick={(event) => {
              // The row opens the drawer too; one opening is enough.
              event.stopPropagation();
              onOpen(row.indicator);
            }}
            style={{ fontWeight: 500 }}
          >
            {rowName(row, locale)}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM, whiteSpace: 'nowrap' }}>
            {row.indicator}
            {row.uom ? ` · ${row.uom}` : ''}
            {row.derived ? (
              <Tag style={{ marginInlineStart: 4, fontSize: token.fontSizeSM - 1, lineHeight: '16px', paddingInline: 4 }}>
                {t('benchmarking.formulaTag')}
              </Tag>
            ) : null}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'actual',
      title: t('scorecard.actual'),
      width: 110,
      ...right,
      render: (_v, row) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0, height: 'auto', fontWeight: 600 }}
          aria-label={t('drilldown.openActual', { name: rowName(row, locale), value: formatNumber(row.actual, locale, precisionOf(row)) })}
          onClick={(event) => {
            // Not the row's drawer: this one explains the number.
            event.stopPropagation();
            onDrill(row.indicator);
          }}
        >
          {num(row.actual, row)}
        </Button>
      ),
    },
    {
      key: 'targetGroup',
      title: t('scorecard.targetGroup'),
      children: [
        {
          key: 'target',
          title: t('scorecard.target'),
          width: 110,
          ...right,
          render: (_v, row) =>
            row.floor !== null || row.stretch !== null ? (
              <Tooltip
                title={
                  <div className="num">
                    <div>
                      {t('scorecard.floor')}: {formatNumber(row.floor, locale, precisionOf(row))}
                    </div>
                    <div>
                      {t('scorecard.target')}: {formatNumber(row.target, locale, precisionOf(row))}
                    </div>
                    <div>
                      {t('scorecard.stretch')}: {formatNumber(row.stretch, locale, precisionOf(row))}
                    </div>
                  </div>
                }
              >
                <span style={{ borderBottom: `1px dashed ${token.colorBorder}`, cursor: 'help' }}>{num(row.target, row)}</span>
              </Tooltip>
            ) : (
              num(row.target, row)
            ),
        },
        {
          key: 'completionRate',
          title: t('scorecard.completionRate'),
          width: 84,
          ...right,
          render: (_v, row) => <span className="num">{formatPercent(row.completionRate, locale)}</span>,
        },
        { key: 'attained', title: t('scorecard.attained'), width: 84, align: 'center', render: (_v, row) => <AttainedTag attained={row.attained} /> },
        { key: 'gapToTarget', title: t('scorecard.gap'), width: 104, ...right, render: (_v, row) => <GapValue value={row.gapToTarget} precision={precisionOf(row)} /> },
      ],
    },
    {
      key: 'benchmarkGroup',
      title: t('scorecard.benchmarkGroup'),
      children: [
        {
          key: 'benchmark',
          title: t('scorecard.benchmark'),
          width: 170,
          ...right,
          render: (_v, row) => <BenchmarkCell benchmark={row.benchmark} precision={precisionOf(row)} />,
        },
        { key: 'gapToBenchmark', title: t('scorecard.gap'), width: 104, ...right, render: (_v, row) => <GapValue value={row.gapToBenchmark} precision={precisionOf(row)} /> },
      ],
    },
    {
      key: 'historicalBestGroup',
      title: t('scorecard.historicalBestGroup'),
      children: [
        {
          key: 'historicalBest',
          title: t('scorecard.historicalBest'),
          width: 120,
          ...right,
          render: (_v, row) => (
            <Flex vertical gap={0} align="flex-end">
              {num(row.historicalBest, row)}
              {row.historicalBestPeriod ? (
                <Typography.Text type="secondary" className="num" style={{ fontSize: token.fontSizeSM }}>
                  {row.historicalBestPeriod}
                </Typography.Text>
              ) : null}
            </Flex>
          ),
        },
        {
          key: 'gapToHistoricalBest',
          title: t('scorecard.gap'),
          width: 104,
          ...right,
          render: (_v, row) => <GapValue value={row.gapToHistoricalBest} precision={precisionOf(row)} />,
        },
      ],
    },
    { key: 'yoy', title: t('scorecard.yoy'), width: 84, ...right, render: (_v, row) => <ChangeValue value={row.yoy} direction={row.direction} /> },
    { key: 'pop', title: t('scorecard.pop'), width: 84, ...right, render: (_v, row) => <ChangeValue value={row.pop} direction={row.direction} /> },
    { key: 'records', title: t('scorecard.records'), width: 120, render: (_v, row) => <RecordBadges row={row} /> },
    {
      key: 'rank',
      title: t('scorecard.rank'),
      width: 70,
      align: 'center',
      render: (_v, row) => <span className="num">{row.rank === null ? '—' : `${row.rank} / ${row.rankOf}`}</span>,
    },
    { key: 'status', title: t('scorecard.status'), width: 100, render: (_v, row) => <StatusTag status={row.status} /> },
    {
      key: 'trend',
      title: t('scorecard.trend'),
      width: 136,
      render: (_v, row) => (
        <Sparkline
          values={row.trend.map((point) => point.value)}
          color={token.colorPrimary}
          label={t('scorecard.trendLabel', { name: rowName(row, locale) })}
        />
      ),
    },
  ];

  return (
    <Table<ScorecardRow>
      rowKey="indicator"
      size="small"
      bordered
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('scorecard.empty') }}
      onRow={(row) => ({ onClick: () => onOpen(row.indicator), style: { cursor: 'pointer' } })}
    />
  );
}
