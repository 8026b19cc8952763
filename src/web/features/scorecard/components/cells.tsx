import { ArrowDownOutlined, ArrowUpOutlined, TrophyOutlined, WarningOutlined } from '@ant-design/icons';
import { Flex, Tag, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScorecardRow } from '../../../../server/modules/scorecard/scorecard.schemas';
import { formatNumber, formatPercent, formatSigned } from '../../benchmarking/format';
import { changeTone, gapTone, type Tone } from '../scorecard-rows';

function useToneColor(): (tone: Tone) => string | undefined {
  const { token } = theme.useToken();
  return (tone) => (tone === 'good' ? token.colorSuccessText : tone === 'bad' ? token.colorErrorText : undefined);
}

/** A signed gap, green when better than the reference and red when worse. */
export function GapValue({ value, precision }: { value: number | null; precision?: number }) {
  const { t, i18n } = useTranslation();
  const color = useToneColor();
  const tone = gapTone(value);
  return (
    <span
      className="num"
      style={{ color: color(tone) }}
      title={tone === 'good' ? t('scorecard.better') : tone === 'bad' ? t('scorecard.worse') : undefined}
    >
      {formatSigned(value, i18n.language, precision)}
    </span>
  );
}

/** A change in percent with an arrow; coloured by whether it is an improvement for this indicator. */
export function ChangeValue({ value, direction }: { value: number | null; direction: ScorecardRow['direction'] }) {
  const { t, i18n } = useTranslation();
  const color = useToneColor();
  const tone = changeTone(direction, value);
  const arrow =
    value === null || value === 0 ? null : value > 0 ? <ArrowUpOutlined aria-hidden /> : <ArrowDownOutlined aria-hidden />;
  return (
    <span
      className="num"
      style={{ color: color(tone) }}
      title={tone === 'good' ? t('scorecard.better') : tone === 'bad' ? t('scorecard.worse') : undefined}
    >
      {arrow} {formatPercent(value === null ? null : Math.abs(value), i18n.language)}
    </span>
  );
}

export function AttainedTag({ attained }: { attained: boolean | null }) {
  const { t } = useTranslation();
  if (attained === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return attained ? <Tag color="success">{t('scorecard.attainedYes')}</Tag> : <Tag color="error">{t('scorecard.attainedNo')}</Tag>;
}

export function RecordBadges({ row }: { row: Pick<ScorecardRow, 'isRecord' | 'isMonthRecord'> }) {
  const { t } = useTranslation();
  if (!row.isRecord && !row.isMonthRecord) return null;
  return (
    <Flex gap={4} wrap>
      {row.isRecord ? (
        <Tag color="gold" icon={<TrophyOutlined aria-hidden />}>
          {t('scorecard.record')}
        </Tag>
      ) : null}
      {row.isMonthRecord ? <Tag color="purple">{t('scorecard.monthRecord')}</Tag> : null}
    </Flex>
  );
}

/** The benchmark's name in the UI language: the API names the historical best in Chinese only. */
export function useBenchmarkName(): (benchmark: NonNullable<ScorecardRow['benchmark']>) => string {
  const { t } = useTranslation();
  return (benchmark) => (benchmark.kind === 'history_best' ? t('benchmarking.benchmarkKinds.history_best') : benchmark.name);
}

/** Name, kind and value of the selected benchmark; a warning when its scope differs from the indicator's. */
export function BenchmarkCell({ benchmark, precision }: { benchmark: ScorecardRow['benchmark']; precision?: number }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const benchmarkName = useBenchmarkName();
  if (!benchmark) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }}>
      <Flex gap={4} align="center" justify="flex-end">
        {benchmark.comparable ? null : (
          <Tooltip title={t('scorecard.notComparable')}>
            <WarningOutlined aria-label={t('scorecard.notComparable')} style={{ color: token.colorWarning }} />
          </Tooltip>
        )}
        <span className="num">{formatNumber(benchmark.value, i18n.language, precision)}</span>
      </Flex>
      <Flex gap={4} align="center" justify="flex-end" wrap>
        <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }} ellipsis={{ tooltip: benchmarkName(benchmark) }}>
          {benchmarkName(benchmark)}
        </Typography.Text>
        {benchmark.kind === 'history_best' ? null : (
          <Tag style={{ marginInlineEnd: 0, fontSize: token.fontSizeSM - 1, lineHeight: '16px', paddingInline: 4 }}>
            {t(`benchmarking.benchmarkKinds.${benchmark.kind}`)}
          </Tag>
        )}
      </Flex>
    </Flex>
  );
}
