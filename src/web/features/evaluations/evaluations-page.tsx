import { HistoryOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Empty, Flex, Form, List, Row, Select, Space, Table, Tabs, Tag, Tooltip, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Chart, type ChartOption } from '../../app/charts';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { useTabParam } from '../../app/use-tab-param';
import { LoadError, PageSpin } from '../../app/status-pages';
import { formatNumber, noValue } from '../benchmarking/format';
import { PeriodPicker } from '../benchmarking/period-picker';
import { useSelection } from '../benchmarking/selection';
import { useIndicatorMap } from '../indicators/queries';
import { onDemand } from '../../app/on-demand';
import { Panel } from '../../app/panel';
import {
  useEvaluationResults,
  useEvaluationSchemes,
  useIdeasByUnit,
  usePublishEvaluation,
  type Grade,
  type IdeaSummaryRow,
  type Publication,
  type ResultChange,
  type ResultItem,
  type ResultRow,
  type Results,
  type Scheme,
} from './queries';

/** A unit's history (with its chart), shown only once asked for: its code loads then. */
const HistoryDrawer = onDemand(async () => (await import(/* on demand */ './history-drawer')).HistoryDrawer, () => true);
// The schemes tab (the scheme editor, with its number inputs) loads when the tab is first opened.
const SchemesTab = onDemand(async () => (await import(/* on demand */ './scheme-editor')).SchemesTab, () => true);
const VetoModal = onDemand(async () => (await import(/* on demand */ './veto-modal')).VetoModal, () => true);

const grades: Grade[] = ['A', 'B', 'C', 'D', 'E'];
const gradeColors: Record<Grade, string> = { A: '#389e0d', B: '#1677ff', C: '#d4b106', D: '#fa8c16', E: '#cf1322' };

function GradeTag({ grade }: { grade: Grade | null }) {
  if (!grade) return <Typography.Text type="secondary">{noValue}</Typography.Text>;
  return <Tag color={gradeColors[grade]}>{grade}</Tag>;
}

/** Each item of a unit: its value, score, weight and the arithmetic behind the score. */
function UnitItems({ row, scheme }: { row: ResultRow; scheme: Scheme | undefined }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const indicators = useIndicatorMap();
  const locale = i18n.language;
  const columns: TableColumnsType<ResultItem> = [
    {
      key: 'indicator',
      title: t('evaluations.item.indicator'),
      width: 200,
      render: (_v, item) => {
        const indicator = indicators.get(item.indicator);
        return (
          <Flex vertical>
            <span>{indicator ? (locale === 'en-US' && indicator.nameEn ? indicator.nameEn : indicator.nameZh) : item.indicator}</span>
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
              {item.indicator}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      key: 'method',
      title: t('evaluations.item.method'),
      width: 130,
      render: (_v, item) => (
        <span>
          {t(`evaluations.methods.${item.method}`)}
          {item.measure === 'completionRate' ? <Typography.Text type="secondary"> · {t('evaluations.completionRate')}</Typography.Text> : null}
        </span>
      ),
    },
    { key: 'value', title: t('evaluations.item.value'), width: 120, align: 'right', render: (_v, item) => <span className="num">{formatNumber(item.value, locale)}</span> },
    {
      key: 'score',
      title: t('evaluations.item.score'),
      width: 100,
      align: 'right',
      render: (_v, item) =>
        item.score === null ? (
          <Typography.Text type="warning">{item.problem ? t(`evaluations.problems.${item.problem}`, { defaultValue: item.problem }) : noValue}</Typography.Text>
        ) : (
          <span className="num">{formatNumber(item.score, locale, scheme?.itemDecimals)}</span>
        ),
    },
    { key: 'weight', title: t('evaluations.item.weight'), width: 80, align: 'right', render: (_v, item) => <span className="num">{formatNumber(item.weight, locale)}</span> },
    {
      key: 'arithmetic',
      title: t('evaluations.item.arithmetic'),
      render: (_v, item) => <Typography.Text code>{item.explanation?.arithmetic ?? noValue}</Typography.Text>,
    },
  ];
  const totals = [row.explanation.score, row.explanation.grade, row.explanation.pay].filter((e) => e !== null);
  return (
    <Flex vertical gap={8} style={{ padding: '4px 8px' }}>
      <Table<ResultItem> rowKey="indicator" size="small" columns={columns} dataSource={row.items} pagination={false} scroll={{ x: 900 }} />
      <Flex vertical gap={2}>
        <Typography.Text strong>{t('evaluations.totalArithmetic')}</Typography.Text>
        {totals.map((e, i) => (
          <Typography.Text key={i} code>
            {e.arithmetic}
          </Typography.Text>
        ))}
        {row.missing.length ? <Typography.Text type="warning">{t('evaluations.missing', { items: row.missing.join(', ') })}</Typography.Text> : null}
      </Flex>
    </Flex>
  );
}

/** The units by score, best on top. */
function RankingChart({ rows, decimals }: { rows: ResultRow[]; decimals: number | undefined }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const scored = rows.filter((row) => row.score !== null).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  if (scored.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const ordered = [...scored].reverse();
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', min: 0, axisLabel: { color: token.colorTextSecondary } },
    yAxis: { type: 'category', data: ordered.map((row) => row.unitName), axisTick: { show: false }, axisLabel: { width: 140, overflow: 'truncate', color: token.colorText } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: ordered.map((row) => ({ value: row.score ?? 0, itemStyle: { color: row.grade ? gradeColors[row.grade] : token.colorTextTertiary } })),
        label: { show: true, position: 'right', fontSize: 11, color: token.colorTextSecondary, formatter: (params: unknown) => formatNumber((params as { value: number }).value, i18n.language, decimals) },
      },
    ],
  };
  return <Chart option={option} height={Math.max(140, ordered.length * 30 + 40)} label={t('evaluations.rankingLabel')} />;
}

/** How many units got each grade. */
function GradeChart({ rows }: { rows: ResultRow[] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: grades, axisTick: { show: false }, axisLabel: { color: token.colorText } },
    yAxis: { type: 'value', minInterval: 1, name: t('evaluations.unitsCount'), axisLabel: { color: token.colorTextSecondary } },
    series: [{ type: 'bar', barMaxWidth: 28, data: grades.map((grade) => ({ value: rows.filter((row) => row.grade === grade).length, itemStyle: { color: gradeColors[grade] } })), label: { show: true, position: 'top' } }],
  };
  return <Chart option={option} height={200} label={t('evaluations.gradeLabel')} />;
}

/** What a publication changed against the previous version. */
function PublicationNote({ publication, onClose }: { publication: Publication; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const description =
    publication.previousVersion === null ? (
      t('evaluations.firstVersion')
    ) : publication.changes.length === 0 ? (
      t('evaluations.noChanges')
    ) : (
      <List
        size="small"
        header={t('evaluations.changesTitle', { previous: publication.previousVersion })}
        dataSource={publication.changes}
        renderItem={(change) => (
          <List.Item>
            <span>{change.unit}</span>
            <span className="num">{t('evaluations.change', { old: formatNumber(change.old, i18n.language), new: formatNumber(change.new, i18n.language) })}</span>
          </List.Item>
        )}
      />
    );
  return <Alert type="success" showIcon closable onClose={onClose} title={t('evaluations.published', { version: publication.version })} description={description} />;
}

/** A published period whose live computation differs now: the frozen version stays, the changes are listed. */
function DraftDiffers({ results }: { results: Results }) {
  const { t, i18n } = useTranslation();
  if (results.status !== 'published') return null;
  if (results.draftError) return <Alert type="warning" showIcon title={t('evaluationExtras.drift.error', { message: results.draftError.message })} />;
  if (!results.draftDiffers) return null;
  const describe = (c: ResultChange) =>
    t('evaluationExtras.drift.change', {
      unit: results.rows.find((r) => r.unit === c.unit)?.unitName ?? c.unit,
      published: formatNumber(c.published, i18n.language),
      now: formatNumber(c.now, i18n.language),
      fields: c.fields.map((f) => t(`evaluationExtras.drift.fields.${f as 'score'}`, { defaultValue: f })).join(', '),
    });
  return (
    <Alert
      type="warning"
      showIcon
      title={t('evaluationExtras.drift.title', { version: results.version })}
      description={
        <Flex vertical gap={2}>
          <span>{t('evaluationExtras.drift.text')}</span>
          {(results.changes ?? []).map((c) => (
            <span key={c.unit} className="num">
              {describe(c)}
            </span>
          ))}
        </Flex>
      }
    />
  );
}

/** 考核结果: a scheme's results for a period, each unit's items explained; publishing and vetoes for those who may. */
export function EvaluationsPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const { modal } = App.useApp();
  const can = usePermission();
  const describeError = useErrorMessage();
  const locale = i18n.language;
  const [searchParams, setSearchParams] = useSearchParams();
  const { period, setPeriod } = useSelection();
  const schemes = useEvaluationSchemes();
  const scheme = searchParams.get('scheme') ?? schemes.data?.[0]?.code;
  const schemeRow = schemes.data?.find((s) => s.code === scheme);
  const results = useEvaluationResults(scheme, period);
  const publish = usePublishEvaluation();
  const [publication, setPublication] = useState<Publication | null>(null);
  const [vetoing, setVetoing] = useState(false);
  const [historyOf, setHistoryOf] = useState<ResultRow | null>(null);
  const [tab, setTab] = useTabParam(['results', 'schemes'] as const);
  const data = results.data;
  const canPublish = can('period.lock');
  const canVeto = can('indicator.write');
  // 金点子 of the period's year by unit: a column of its own, left out without problem.read or when the call fails.
  const ideasYear = period && /^\d{4}/.test(period) ? Number(period.slice(0, 4)) : undefined;
  const ideas = useIdeasByUnit(ideasYear, can('problem.read'));
  const ideasByUnit = new Map<string, IdeaSummaryRow>((ideas.data?.rows ?? []).map((r) => [r.unit, r]));
  const showIdeas = can('problem.read') && ideasYear !== undefined && !ideas.isError;

  const setScheme = (code: string) =>
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params);
        next.set('scheme', code);
        return next;
      },
      { replace: true },
    );

  const confirmPublish = () => {
    if (!scheme || !period) return;
    modal.confirm({
      title: t('evaluations.publishTitle', { period }),
      content: t('evaluations.publishText'),
      okText: t('evaluations.publish'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setPublication(await publish.mutateAsync({ scheme, period }));
      },
    });
  };

  const columns: TableColumnsType<ResultRow> = [
    {
      key: 'rank',
      title: t('evaluations.rank'),
      width: 80,
      render: (_v, row) => <span className="num">{row.rank === null ? noValue : `${row.rank} / ${row.rankOf ?? noValue}`}</span>,
    },
    {
      key: 'unit',
      title: t('evaluations.unit'),
      width: 180,
      render: (_v, row) => (
        <Flex vertical>
          <span style={{ fontWeight: 500 }}>{row.unitName}</span>
          <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
            {row.unit}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'score', title: t('evaluations.score'), width: 100, align: 'right', render: (_v, row) => <span className="num">{formatNumber(row.score, locale, schemeRow?.totalDecimals)}</span> },
    { key: 'grade', title: t('evaluations.grade'), width: 80, render: (_v, row) => <GradeTag grade={row.grade} /> },
    { key: 'pay', title: t('evaluations.pay'), width: 110, align: 'right', render: (_v, row) => <span className="num">{formatNumber(row.payCoefficient, locale)}</span> },
    {
      key: 'cadres',
      title: <Tooltip title={t('evaluationExtras.cadres.hint')}>{t('evaluationExtras.cadres.title')}</Tooltip>,
      width: 180,
      render: (_v, row) =>
        row.cadres.length === 0 ? (
          <Typography.Text type="secondary">{t('evaluationExtras.cadres.none')}</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {row.cadres.map((c) => (
              <Tooltip key={c.person} title={c.explanation?.arithmetic}>
                <span>
                  {c.name} <span className="num">{formatNumber(c.payCoefficient, locale)}</span>
                  {c.explanation?.limitedBy ? <Tag style={{ marginInlineStart: 4 }}>{c.explanation.limitedBy === 'cap' ? '↑' : '↓'}</Tag> : null}
                </span>
              </Tooltip>
            ))}
          </Flex>
        ),
    },
    ...(showIdeas
      ? [
          {
            key: 'ideas',
            title: <Tooltip title={t('evaluationExtras.ideas.hint', { year: ideasYear })}>{t('evaluationExtras.ideas.title', { year: ideasYear })}</Tooltip>,
            width: 140,
            align: 'right' as const,
            render: (_v: unknown, row: ResultRow) => {
              if (!ideas.data) return <Typography.Text type="secondary">…</Typography.Text>;
              const r = ideasByUnit.get(row.unit);
              const adopted = r?.adopted ?? 0;
              const benefit = r?.benefitYuan ?? '0.00';
              const to = `/ideas?${new URLSearchParams({ year: String(ideasYear), unit: row.unit }).toString()}`;
              return (
                <Tooltip
                  title={
                    <Flex vertical gap={4}>
                      <span>{t('evaluationExtras.ideas.tooltip', { unit: row.unitName, year: ideasYear, submitted: r?.submitted ?? 0, adopted, implemented: r?.implemented ?? 0, benefit })}</span>
                      <Link to={to}>{t('evaluationExtras.ideas.open')}</Link>
                    </Flex>
                  }
                >
                  <Link to={to} className="num" data-testid={`ideas-${row.unit}`}>
                    {t('evaluationExtras.ideas.cell', { count: adopted, benefit })}
                  </Link>
                </Tooltip>
              );
            },
          },
        ]
      : []),
    {
      key: 'vetoed',
      title: t('evaluations.vetoed'),
      render: (_v, row) =>
        row.vetoed ? (
          <Flex vertical gap={2}>
            <Tag color="error" style={{ width: 'fit-content' }}>
              {t('evaluations.vetoedYes')}
            </Tag>
            {row.vetoReasons.map((reason, i) => (
              <Typography.Text key={i} type="secondary" style={{ fontSize: token.fontSizeSM }}>
                {reason}
              </Typography.Text>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{noValue}</Typography.Text>
        ),
    },
    {
      key: 'history',
      width: 90,
      render: (_v, row) => (
        <Button size="small" icon={<HistoryOutlined aria-hidden />} aria-label={t('evaluationExtras.history.openLabel', { unit: row.unitName })} onClick={() => setHistoryOf(row)}>
          {t('evaluationExtras.history.open')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('evaluations.title')}
        </Typography.Title>
        <Space wrap>
          {canVeto && data && tab === 'results' ? (
            <Button danger icon={<StopOutlined aria-hidden />} onClick={() => setVetoing(true)}>
              {t('evaluations.veto')}
            </Button>
          ) : null}
          {canPublish && data && tab === 'results' ? (
            <Button type="primary" icon={<SendOutlined aria-hidden />} loading={publish.isPending} onClick={confirmPublish}>
              {t('evaluations.publish')}
            </Button>
          ) : null}
        </Space>
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'results',
            label: t('evaluationExtras.tabs.results'),
            children: (
              <Flex vertical gap={16}>
                <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                  {t('evaluations.intro')}
                </Typography.Paragraph>
                <Form layout="inline" style={{ rowGap: 8 }}>
                  <Form.Item label={t('evaluations.scheme')} htmlFor="evaluations-scheme">
                    <Select
                      id="evaluations-scheme"
                      value={scheme}
                      onChange={setScheme}
                      loading={schemes.isPending}
                      placeholder={t('evaluations.pickScheme')}
                      options={(schemes.data ?? []).map((s) => ({ value: s.code, label: `${locale === 'en-US' ? s.nameEn : s.nameZh} (${s.code})` }))}
                      style={{ width: 280 }}
                      popupMatchSelectWidth={false}
                    />
                  </Form.Item>
                  <Form.Item label={t('evaluations.period')} htmlFor="evaluations-period">
                    <PeriodPicker id="evaluations-period" value={period} onChange={setPeriod} />
                  </Form.Item>
                  {data ? (
                    <Form.Item>
                      <Space wrap size={4}>
                        <Tag color={data.status === 'published' ? 'success' : 'default'}>{t(`evaluations.status.${data.status}`)}</Tag>
                        {data.version !== null ? <Tag>{t('evaluations.version', { version: data.version })}</Tag> : null}
                        {data.publishedAt ? <Typography.Text type="secondary">{t('evaluations.publishedAt', { time: formatDateTime(data.publishedAt) })}</Typography.Text> : null}
                        {data.months.length ? <Typography.Text type="secondary">{t('evaluations.months', { months: data.months.join(', ') })}</Typography.Text> : null}
                      </Space>
                    </Form.Item>
                  ) : null}
                </Form>
                {publication ? <PublicationNote publication={publication} onClose={() => setPublication(null)} /> : null}
                {data ? <DraftDiffers results={data} /> : null}
                {publish.error ? <Alert type="error" showIcon role="alert" title={describeError(publish.error)} /> : null}
                {schemes.isError ? (
                  <LoadError error={schemes.error} onRetry={() => void schemes.refetch()} />
                ) : schemes.data && schemes.data.length === 0 ? (
                  <Panel>
                    <Empty description={t('evaluations.noSchemes')} />
                  </Panel>
                ) : results.isError ? (
                  <LoadError error={results.error} onRetry={() => void results.refetch()} />
                ) : !data ? (
                  <PageSpin />
                ) : data.rows.length === 0 ? (
                  <Panel>
                    <Empty description={t('evaluations.empty')} />
                  </Panel>
                ) : (
                  <>
                    <Row gutter={[12, 12]}>
                      <Col xs={24} lg={16}>
                        <Panel size="small" title={t('evaluations.rankingChart')}>
                          <RankingChart rows={data.rows} decimals={schemeRow?.totalDecimals} />
                        </Panel>
                      </Col>
                      <Col xs={24} lg={8}>
                        <Panel size="small" title={t('evaluations.gradeChart')}>
                          <GradeChart rows={data.rows} />
                        </Panel>
                      </Col>
                    </Row>
                    <Table<ResultRow>
                      rowKey="unit"
                      size="small"
                      columns={columns}
                      dataSource={data.rows}
                      loading={results.isFetching}
                      scroll={{ x: 800 }}
                      pagination={false}
                      expandable={{ expandedRowRender: (row) => <UnitItems row={row} scheme={schemeRow} /> }}
                    />
                  </>
                )}
              </Flex>
            ),
          },
          { key: 'schemes', label: t('evaluationExtras.tabs.schemes'), children: <SchemesTab initial={scheme} /> },
        ]}
      />
      {vetoing && data ? <VetoModal results={data} onClose={() => setVetoing(false)} /> : null}
      {historyOf && scheme ? <HistoryDrawer scheme={scheme} unit={historyOf.unit} unitName={historyOf.unitName} onClose={() => setHistoryOf(null)} /> : null}
    </Flex>
  );
}
