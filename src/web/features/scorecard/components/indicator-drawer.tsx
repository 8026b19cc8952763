import { WarningOutlined } from '@ant-design/icons';
import { Alert, Descriptions, Drawer, Flex, Grid, Statistic, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Indicator } from '../../../../server/modules/indicators/indicators.schemas';
import type { Scorecard, ScorecardRow } from '../../../../server/modules/scorecard/scorecard.schemas';
import { niceRange } from '../../../app/chart-scale';
import { Chart, type ChartOption } from '../../../app/charts';
import { formatNumber, formatPercent, noValue } from '../../benchmarking/format';
import { StatusTag } from '../../benchmarking/status-tag';
import { isCategory, isStage } from '../../benchmarking/vocabulary';
import { rowName } from '../scorecard-rows';
import { AttainedTag, ChangeValue, GapValue, RecordBadges, useBenchmarkName } from './cells';

type MarkLine = { name: string; yAxis: number; color: string };


/**
 * The monthly trend with the reference levels drawn across. The levels belong to the whole
 * window; over several months they are comparable with a month's value only for averages, ratios
 * and last values, not for sums.
 */
function TrendChart({ row, markLines, precision }: { row: ScorecardRow; markLines: MarkLine[]; precision?: number }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const format = (value: number | null) => formatNumber(value, i18n.language, precision);
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 96, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (value) => format(typeof value === 'number' ? value : null) },
    xAxis: {
      type: 'category',
      data: row.trend.map((point) => point.period),
      axisLabel: { color: token.colorTextSecondary, formatter: (value: string) => value.slice(2) },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      type: 'value',
      scale: true,
      axisLabel: { color: token.colorTextSecondary, formatter: (value: number) => formatNumber(value, i18n.language) },
      splitLine: { lineStyle: { color: token.colorBorderSecondary } },
    },
    series: [
      {
        type: 'line',
        name: rowName(row, i18n.language),
        data: row.trend.map((point) => point.value),
        symbolSize: 6,
        lineStyle: { width: 2, color: token.colorPrimary },
        itemStyle: { color: token.colorPrimary },
        connectNulls: false,
        markLine: {
          silent: true,
          symbol: 'none',
          // ECharts rounds mark lines to 2 decimals by default, moving 0.037 to 0.04.
          precision: 10,
          data: markLines.map((line) => ({
            name: line.name,
            yAxis: line.yAxis,
            lineStyle: { color: line.color, type: 'dashed', width: 1.5 },
            label: { formatter: `${line.name} ${format(line.yAxis)}`, color: line.color, position: 'end', fontSize: 11 },
          })),
        },
      },
    ],
  };
  // The y axis must reach the reference lines too, with round numbers at its ends.
  const values = [...row.trend.map((point) => point.value), ...markLines.map((line) => line.yAxis)].filter((v): v is number => v !== null);
  if (values.length > 0 && option.yAxis && !Array.isArray(option.yAxis)) {
    const [min, max, interval] = niceRange(Math.min(...values), Math.max(...values));
    Object.assign(option.yAxis, { min, max, interval });
  }
  return <Chart option={option} height={260} label={t('scorecard.drawer.trendLabel', { name: rowName(row, i18n.language) })} />;
}

/** One indicator of the scorecard: its trend against target, benchmark and best, and its definition. */
export function IndicatorDrawer({
  scorecard,
  row,
  indicator,
  onClose,
}: {
  scorecard: Scorecard;
  row: ScorecardRow | null;
  indicator: Indicator | undefined;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const benchmarkName = useBenchmarkName();
  const locale = i18n.language;
  const precision = indicator?.precision;
  const format = (value: number | null) => formatNumber(value, locale, precision);

  // The trend is monthly. Over a window of several months the target and benchmark of a summed
  // indicator are sums over the window, and the historical best is the best such window: neither
  // belongs on a line of months.
  const multiMonth = scorecard.months.length > 1;
  const levelsComparable = !multiMonth || (indicator ? indicator.aggregation !== 'sum' : false);
  const markLines: MarkLine[] = [];
  if (row && levelsComparable) {
    if (row.target !== null) markLines.push({ name: t('scorecard.target'), yAxis: row.target, color: token.colorError });
    if (row.benchmark?.value !== null && row.benchmark?.value !== undefined && row.benchmark.kind !== 'history_best') {
      markLines.push({ name: t('scorecard.benchmark'), yAxis: row.benchmark.value, color: token.colorWarning });
    }
  }
  if (row && !multiMonth && row.historicalBest !== null) {
    markLines.push({ name: t('scorecard.historicalBest'), yAxis: row.historicalBest, color: token.colorSuccess });
  }

  return (
    <Drawer
      open={row !== null}
      onClose={onClose}
      size={screens.md ? 720 : '100%'}
      title={
        row ? (
          <Flex gap={8} align="baseline" wrap>
            <span>{rowName(row, locale)}</span>
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM, fontWeight: 'normal' }}>
              {row.indicator}
              {row.uom ? ` · ${row.uom}` : ''}
            </Typography.Text>
          </Flex>
        ) : null
      }
    >
      {row ? (
        <Flex vertical gap={16}>
          <Flex gap={24} wrap>
            <Statistic title={t('scorecard.actual')} value={format(row.actual)} styles={{ content: { fontVariantNumeric: 'tabular-nums' } }} />
            <Statistic title={t('scorecard.target')} value={format(row.target)} styles={{ content: { fontVariantNumeric: 'tabular-nums' } }} />
            <Statistic
              title={t('scorecard.completionRate')}
              value={formatPercent(row.completionRate, locale)}
              styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
            />
            <Flex vertical gap={4}>
              <Typography.Text type="secondary">{t('scorecard.attained')}</Typography.Text>
              <Flex gap={4} wrap>
                <AttainedTag attained={row.attained} />
                <RecordBadges row={row} />
              </Flex>
            </Flex>
          </Flex>
          <div>
            <Typography.Title level={5}>{t('scorecard.drawer.trend')}</Typography.Title>
            <TrendChart row={row} markLines={markLines} precision={precision} />
            {multiMonth ? <Alert type="info" showIcon title={t('scorecard.drawer.trendNote')} /> : null}
          </div>
          <Descriptions
            title={t('scorecard.drawer.results')}
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'floor', label: t('scorecard.floor'), children: <span className="num">{format(row.floor)}</span> },
              { key: 'stretch', label: t('scorecard.stretch'), children: <span className="num">{format(row.stretch)}</span> },
              { key: 'gapToTarget', label: t('scorecard.gapToTarget'), children: <GapValue value={row.gapToTarget} precision={precision} /> },
              {
                key: 'benchmark',
                label: t('scorecard.benchmark'),
                children: row.benchmark ? (
                  <Flex gap={4} wrap align="center">
                    <span className="num">{format(row.benchmark.value)}</span>
                    <span>{benchmarkName(row.benchmark)}</span>
                    <Tag>{t(`benchmarking.benchmarkKinds.${row.benchmark.kind}`)}</Tag>
                    {isStage(row.benchmark.stage) ? <Tag color="blue">{t(`benchmarking.stages.${row.benchmark.stage}`)}</Tag> : null}
                    {row.benchmark.comparable ? null : (
                      <Typography.Text type="warning">
                        <WarningOutlined aria-hidden /> {t('scorecard.notComparable')}
                      </Typography.Text>
                    )}
                    {row.benchmark.scopeTag ? <Typography.Text type="secondary">({row.benchmark.scopeTag})</Typography.Text> : null}
                  </Flex>
                ) : (
                  noValue
                ),
              },
              { key: 'gapToBenchmark', label: t('scorecard.gapToBenchmark'), children: <GapValue value={row.gapToBenchmark} precision={precision} /> },
              {
                key: 'historicalBest',
                label: t('scorecard.historicalBestGroup'),
                children: (
                  <span className="num">
                    {format(row.historicalBest)}
                    {row.historicalBestPeriod ? <Typography.Text type="secondary"> ({row.historicalBestPeriod})</Typography.Text> : null}
                  </span>
                ),
              },
              {
                key: 'gapToHistoricalBest',
                label: t('scorecard.gapToBest'),
                children: <GapValue value={row.gapToHistoricalBest} precision={precision} />,
              },
              { key: 'yoy', label: t('scorecard.yoy'), children: <ChangeValue value={row.yoy} direction={row.direction} /> },
              { key: 'pop', label: t('scorecard.pop'), children: <ChangeValue value={row.pop} direction={row.direction} /> },
              { key: 'rank', label: t('scorecard.rank'), children: <span className="num">{row.rank === null ? noValue : `${row.rank} / ${row.rankOf}`}</span> },
              { key: 'status', label: t('scorecard.status'), children: <StatusTag status={row.status} /> },
            ]}
          />
          <Descriptions
            title={t('scorecard.drawer.definition')}
            size="small"
            bordered
            column={1}
            items={[
              { key: 'code', label: t('scorecard.drawer.code'), children: <Typography.Text code>{row.indicator}</Typography.Text> },
              {
                key: 'category',
                label: t('scorecard.drawer.category'),
                children: isCategory(row.category) ? t(`benchmarking.categories.${row.category}`) : row.category,
              },
              {
                key: 'direction',
                label: t('scorecard.drawer.direction'),
                children: (
                  <>
                    {t(`benchmarking.directions.${row.direction}`)}
                    {row.direction === 'band' && indicator?.bandCentre !== null && indicator?.bandCentre !== undefined ? (
                      <Typography.Text type="secondary">
                        {' '}
                        ({t('scorecard.drawer.bandCentre', { centre: format(indicator.bandCentre), tolerance: format(indicator.bandTolerance) })})
                      </Typography.Text>
                    ) : null}
                  </>
                ),
              },
              {
                key: 'aggregation',
                label: t('scorecard.drawer.aggregation'),
                children: indicator ? t(`benchmarking.aggregations.${indicator.aggregation}`) : noValue,
              },
              {
                key: 'formula',
                label: t('scorecard.drawer.formula'),
                children: indicator?.formula ? <Typography.Text code>{indicator.formula}</Typography.Text> : noValue,
              },
              { key: 'scopeText', label: t('scorecard.drawer.scopeText'), children: indicator?.scopeText || noValue },
              { key: 'scopeTag', label: t('scorecard.drawer.scopeTag'), children: indicator?.scopeTag || noValue },
              { key: 'uom', label: t('scorecard.drawer.uom'), children: row.uom || noValue },
              { key: 'weight', label: t('scorecard.drawer.weight'), children: <span className="num">{row.weight}</span> },
              { key: 'description', label: t('scorecard.drawer.description'), children: indicator?.description || noValue },
            ]}
          />
        </Flex>
      ) : null}
    </Drawer>
  );
}
