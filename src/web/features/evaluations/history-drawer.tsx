import { Drawer, Empty, Flex, Table, Tag, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../app/charts';
import { formatDateTime } from '../../app/format';
import { LoadError, PageSpin } from '../../app/status-pages';
import { formatNumber, noValue } from '../benchmarking/format';
import { useEvaluationHistory, type HistoryRow } from './queries';

const gradeColors: Record<string, string> = { A: '#389e0d', B: '#1677ff', C: '#d4b106', D: '#fa8c16', E: '#cf1322' };

/** A unit's evaluation history: the score by period (published solid, drafts hollow) and a table. */
export function HistoryDrawer({ scheme, unit, unitName, onClose }: { scheme: string; unit: string; unitName: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const locale = i18n.language;
  const history = useEvaluationHistory(scheme, unit);
  const rows = history.data?.rows ?? [];
  const title = t('evaluationExtras.history.title', { unit: `${unitName} (${unit})` });

  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((r) => r.period), axisLabel: { color: token.colorTextSecondary } },
    yAxis: { type: 'value', scale: true, axisLabel: { color: token.colorTextSecondary } },
    series: [
      {
        type: 'line',
        name: t('evaluationExtras.history.score'),
        connectNulls: false,
        symbolSize: 9,
        data: rows.map((r) => ({
          value: r.score ?? '-',
          symbol: r.status === 'draft' ? 'emptyCircle' : 'circle',
          itemStyle: { color: r.grade ? gradeColors[r.grade] : token.colorTextTertiary },
        })),
        lineStyle: { color: token.colorPrimary },
      },
    ],
  };

  const columns: TableColumnsType<HistoryRow> = [
    { key: 'period', title: t('evaluationExtras.history.period'), width: 90, render: (_v, r) => <span className="num">{r.period}</span> },
    {
      key: 'status',
      title: t('evaluationExtras.history.status'),
      width: 140,
      render: (_v, r) => (
        <Flex gap={4} wrap>
          <Tag color={r.status === 'published' ? 'success' : 'default'}>{t(`evaluationExtras.history.${r.status}`)}</Tag>
          {r.version !== null ? <Tag>{t('evaluations.version', { version: r.version })}</Tag> : null}
          {r.problem ? <Tag color="warning">{r.problem}</Tag> : null}
        </Flex>
      ),
    },
    { key: 'score', title: t('evaluationExtras.history.score'), width: 80, align: 'right', render: (_v, r) => <span className="num">{formatNumber(r.score, locale)}</span> },
    { key: 'rank', title: t('evaluationExtras.history.rank'), width: 80, render: (_v, r) => <span className="num">{r.rank === null ? noValue : `${r.rank} / ${r.rankOf ?? noValue}`}</span> },
    { key: 'grade', title: t('evaluationExtras.history.grade'), width: 60, render: (_v, r) => (r.grade ? <Tag color={gradeColors[r.grade]}>{r.grade}</Tag> : noValue) },
    { key: 'pay', title: t('evaluationExtras.history.pay'), width: 90, align: 'right', render: (_v, r) => <span className="num">{formatNumber(r.payCoefficient, locale)}</span> },
    { key: 'vetoed', title: t('evaluationExtras.history.vetoed'), width: 70, render: (_v, r) => (r.vetoed ? <Tag color="error">{t('evaluations.vetoedYes')}</Tag> : noValue) },
    { key: 'publishedAt', title: t('evaluationExtras.history.publishedAt'), width: 150, render: (_v, r) => <span className="num">{r.publishedAt ? formatDateTime(r.publishedAt) : noValue}</span> },
  ];

  return (
    <Drawer open title={title} onClose={onClose} size="large" destroyOnHidden styles={{ body: { paddingTop: 8 } }}>
      {history.isError ? (
        <LoadError error={history.error} onRetry={() => void history.refetch()} />
      ) : !history.data ? (
        <PageSpin />
      ) : rows.length === 0 ? (
        <Empty description={t('evaluationExtras.history.empty')} />
      ) : (
        <Flex vertical gap={12}>
          <Chart option={option} height={220} label={t('evaluationExtras.history.chartLabel', { unit: unitName })} />
          <Table<HistoryRow> rowKey="period" size="small" columns={columns} dataSource={[...rows].reverse()} pagination={false} scroll={{ x: 760 }} />
        </Flex>
      )}
    </Drawer>
  );
}
