import { Empty, Grid, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScorecardRow } from '../../../../server/modules/scorecard/scorecard.schemas';
import { niceRange } from '../../../app/chart-scale';
import { Chart, type ChartOption, escapeHtml } from '../../../app/charts';
import { formatPercent } from '../../benchmarking/format';
import { gapToTargetPercent, rowName, summarise } from '../scorecard-rows';
import { StatCards } from '../../benchmarking/stat-cards';

/** Four figures at a glance: attainment, misses, records, approved data. */
export function ScorecardSummary({ rows }: { rows: ScorecardRow[] }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const summary = summarise(rows);
  const rate = summary.withTarget > 0 ? (summary.attained / summary.withTarget) * 100 : null;
  const cards = [
    {
      key: 'attainment',
      title: t('scorecard.summary.attainment'),
      value: formatPercent(rate === null ? null : Math.round(rate * 10) / 10, i18n.language),
      color: rate === null ? undefined : rate >= 100 ? token.colorSuccessText : undefined,
      detail:
        summary.withTarget > 0
          ? t('scorecard.summary.attainedOf', { attained: summary.attained, total: summary.withTarget })
          : t('scorecard.summary.noTargets'),
    },
    {
      key: 'below',
      title: t('scorecard.summary.below'),
      value: String(summary.below),
      color: summary.below > 0 ? token.colorErrorText : token.colorSuccessText,
      detail: t('scorecard.summary.belowDetail'),
    },
    {
      key: 'records',
      title: t('scorecard.summary.records'),
      value: String(summary.withRecord),
      color: summary.withRecord > 0 ? token.colorWarningText : undefined,
      detail: t('scorecard.summary.recordsDetail', { record: summary.records, month: summary.monthRecords }),
    },
    {
      key: 'approved',
      title: t('scorecard.summary.approved'),
      value: `${summary.approved} / ${summary.total}`,
      color: undefined,
      detail: t('scorecard.summary.approvedDetail', { approved: summary.approved, total: summary.total }),
    },
  ];
  return <StatCards cards={cards} span={{ xs: 12, md: 6 }} />;
}

/** Each indicator's gap to its target in % of the target, worst first: the weak spots. */
export function GapChart({ rows }: { rows: ScorecardRow[] }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const bars = rows
    .map((row) => ({ row, percent: gapToTargetPercent(row) }))
    .filter((bar): bar is { row: ScorecardRow; percent: number } => bar.percent !== null)
    .sort((a, b) => a.percent - b.percent);

  if (bars.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scorecard.chartEmpty')} />;

  // The y axis of a horizontal bar chart runs upwards: reverse so that the worst is on top.
  const ordered = [...bars].reverse();
  // Room beyond the longest bars for their labels; zero always in view.
  const [min, max, interval] = niceRange(Math.min(0, ...bars.map((bar) => bar.percent)), Math.max(0, ...bars.map((bar) => bar.percent)), 0.25, narrow ? 3 : 5);
  const colorOf = (row: ScorecardRow, percent: number) =>
    row.attained === true || (row.attained === null && percent >= 0) ? token.colorSuccess : token.colorError;
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const index = (params as { dataIndex: number }).dataIndex;
        const bar = ordered[index];
        return bar ? `${escapeHtml(rowName(bar.row, i18n.language))}<br/>${formatPercent(Math.round(bar.percent * 10) / 10, i18n.language, true)}` : '';
      },
    },
    xAxis: {
      type: 'value',
      min,
      max,
      interval,
      axisLabel: { formatter: (value: number) => `${Math.round(value * 10) / 10}%`, color: token.colorTextSecondary, hideOverlap: true },
      splitLine: { lineStyle: { color: token.colorBorderSecondary } },
    },
    yAxis: {
      type: 'category',
      data: ordered.map((bar) => rowName(bar.row, i18n.language)),
      axisTick: { show: false },
      // Names at the grid's left edge, not on the zero line among the negative bars.
      axisLine: { onZero: false },
      axisLabel: { width: narrow ? 72 : 140, overflow: 'truncate', color: token.colorText },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        data: ordered.map((bar) => ({
          value: Math.round(bar.percent * 100) / 100,
          itemStyle: { color: colorOf(bar.row, bar.percent) },
          label: { position: bar.percent < 0 ? 'left' : 'right' },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (params: unknown) => `${formatPercent(Math.round(Number((params as { value: number }).value) * 10) / 10, i18n.language, true)}`,
          color: token.colorTextSecondary,
          fontSize: 11,
        },
      },
    ],
  };
  return <Chart option={option} height={Math.max(140, ordered.length * 26 + 40)} label={t('scorecard.chartLabel')} />;
}
