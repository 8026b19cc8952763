import { Flex, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { niceRange } from '../../../app/chart-scale';
import { Chart, type ChartOption } from '../../../app/charts';
import { formatNumber } from '../../benchmarking/format';

export interface ChartBase {
  key: string;
  name: string;
  value: number | null;
}

/**
 * The assistant's bases as horizontal bars, the chosen one in the primary colour, with the target
 * in force and the proposal drawn across (named below the chart: their labels would collide when
 * the two are close); a click on a bar chooses it.
 */
export function BasesChart({
  bases,
  selected,
  current,
  proposal,
  precision,
  label,
  onSelect,
}: {
  bases: ChartBase[];
  selected: string | null;
  current: number | null;
  proposal: number | null;
  precision: number | undefined;
  label: string;
  onSelect: (key: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const format = (value: number | null) => formatNumber(value, i18n.language, precision);
  // Top to bottom in the assistant's order: a category axis draws its first entry at the bottom.
  const shown = [...bases].reverse();
  const lines = [
    { name: t('targets.chart.current'), value: current, color: token.colorTextSecondary },
    { name: t('targets.chart.proposal'), value: proposal, color: token.colorError },
  ].filter((line): line is { name: string; value: number; color: string } => line.value !== null);

  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', valueFormatter: (value) => format(typeof value === 'number' ? value : null) },
    yAxis: {
      type: 'category',
      data: shown.map((base) => base.name),
      axisLabel: { color: token.colorText },
      axisTick: { show: false },
    },
    xAxis: {
      type: 'value',
      axisLabel: { color: token.colorTextSecondary, formatter: (value: number) => formatNumber(value, i18n.language), hideOverlap: true },
      splitLine: { lineStyle: { color: token.colorBorderSecondary } },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        cursor: 'pointer',
        data: shown.map((base) => ({
          value: base.value,
          itemStyle: { color: base.key === selected ? token.colorPrimary : token.colorPrimaryBorder, borderRadius: [0, 3, 3, 0] },
        })),
        label: {
          show: true,
          position: 'right',
          color: token.colorText,
          formatter: (params: { value?: unknown }) => (typeof params.value === 'number' ? format(params.value) : t('targets.noValue')),
        },
        markLine: {
          silent: true,
          symbol: 'none',
          // ECharts rounds mark lines to 2 decimals by default.
          precision: 10,
          data: lines.map((line) => ({
            name: line.name,
            xAxis: line.value,
            lineStyle: { color: line.color, type: 'dashed', width: 1.5 },
            label: { show: false },
          })),
        },
      },
    ],
  };
  // The bars start near the smallest value, not at zero: the differences between bases are what matters.
  const values = [...bases.map((base) => base.value), ...lines.map((line) => line.value)].filter((v): v is number => v !== null);
  if (values.length > 0 && option.xAxis && !Array.isArray(option.xAxis)) {
    const [min, max, interval] = niceRange(Math.min(...values), Math.max(...values), 0.15, 4);
    Object.assign(option.xAxis, { min: min < 0 && Math.min(...values) >= 0 ? 0 : min, max, interval });
  }
  return (
    <div>
      <Chart
        option={option}
        height={Math.max(160, 34 * bases.length + 24)}
        label={label}
        onEvents={{
          click: (params) => {
            const index = (params as { dataIndex?: number }).dataIndex;
            const base = index === undefined ? undefined : shown[index];
            if (base && base.value !== null) onSelect(base.key);
          },
        }}
      />
      {lines.length ? (
        <Flex gap={16} wrap justify="center" aria-hidden>
          {lines.map((line) => (
            <Typography.Text key={line.name} style={{ fontSize: token.fontSizeSM, color: line.color }}>
              <span style={{ display: 'inline-block', width: 18, marginInlineEnd: 4, verticalAlign: 'middle', borderTop: `2px dashed ${line.color}` }} />
              {line.name} {format(line.value)}
            </Typography.Text>
          ))}
        </Flex>
      ) : null}
    </div>
  );
}
